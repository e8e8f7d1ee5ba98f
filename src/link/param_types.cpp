// Linking: parameter types from constructor call sites. A hub object often
// hands itself to the helpers it makes (`self._connection =
// ConnectionHandler(self, ...)` in KazooClient), and the helper keeps it in
// an unannotated parameter (`def __init__(self, client, ...): self.client =
// client`). When every call in the project that passes a method's own
// instance at that position passes the same class, the parameter has that
// type, as if it were annotated: `self.client.auth_data` in the helper is
// then the hub's `auth_data`.
#include "link/project.h"

namespace raceaudit {

namespace {

constexpr int32_t kConflict = -2;  // calls pass instances of different classes

}  // namespace

// `__init__` of the class or of its nearest base that has one: (module, scope), or scope -1.
std::pair<uint32_t, int32_t> Project::constructor_of(int32_t cls) const {
  std::vector<int32_t> stack{cls};
  for (size_t i = 0; i < stack.size() && i < 64; ++i) {
    const ClassInfo& ci = classes_[static_cast<size_t>(stack[i])];
    const auto mm = static_cast<uint32_t>(ci.module);
    const std::string q = modules_[mm].scopes[static_cast<size_t>(ci.scope)].qualname + ".__init__";
    if (auto it = module_functions_[mm].find(q); it != module_functions_[mm].end()) return {mm, it->second};
    stack.insert(stack.end(), ci.bases.begin(), ci.bases.end());
  }
  return {0, -1};
}

void Project::infer_param_types() {
  inferred_param_types_.resize(modules_.size());
  for (uint32_t m = 0; m < modules_.size(); ++m) {
    for (const Call& call : modules_[m].calls) {
      if (call.self_arg == 0) continue;
      const int32_t passed = scope_info_[m][static_cast<size_t>(call.scope)].class_id;
      const Place& c = place_of(m, call.callee);
      if (passed < 0 || c.root != Root::Global) continue;
      const int32_t made = resolve_class_name(m, c.path.empty() ? c.root_name : c.root_name + "." + c.path);
      if (made < 0) continue;
      const auto [im, init] = constructor_of(made);
      if (init < 0) continue;
      const auto& params = modules_[im].scopes[static_cast<size_t>(init)].params;
      const size_t index = call.self_arg;  // params[0] is the new instance's self
      if (index >= params.size() || !params[index].annotation.empty()) continue;
      auto [it, fresh] = inferred_param_types_[im][init].emplace(params[index].name, passed);
      if (!fresh && it->second != passed) it->second = kConflict;
    }
  }
}

int32_t Project::inferred_param_class(uint32_t m, int32_t scope, const std::string& name) const {
  const auto& by_scope = inferred_param_types_[m];
  auto s = by_scope.find(scope);
  if (s == by_scope.end()) return -1;
  auto p = s->second.find(name);
  return p == s->second.end() || p->second == kConflict ? -1 : p->second;
}

}  // namespace raceaudit
