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

constexpr int32_t kConflict = -2;  // calls pass instances of unrelated classes

}  // namespace

// A class or one of its bases (transitively).
bool Project::derives_from(int32_t cls, int32_t base) const {
  std::vector<int32_t> stack{cls};
  for (size_t i = 0; i < stack.size() && i < 64; ++i) {
    if (stack[i] == base) return true;
    const auto& bases = classes_[static_cast<size_t>(stack[i])].bases;
    stack.insert(stack.end(), bases.begin(), bases.end());
  }
  return false;
}

// Calls passing a HTTPServer and its subclass wsgi.Server agree on HTTPServer.
bool Project::note_param_type(int32_t& known, int32_t passed, bool fresh) const {
  if (fresh || known == passed || known == kConflict) return fresh;
  if (derives_from(passed, known)) return false;
  known = derives_from(known, passed) ? passed : kConflict;
  return true;
}

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
      note_param_type(it->second, passed, fresh);
    }
  }
}

// Passed on: `WorkerThread(self.server)` in a ThreadPool whose `server` is a
// HTTPServer makes the worker's `server` parameter, and so its
// `self.server`, a HTTPServer too. Each round follows one more hand-over.
void Project::infer_param_types_from_attributes() {
  for (int round = 0; round < 8; ++round) {
    bool changed = false;
    for (uint32_t m = 0; m < modules_.size(); ++m)
      for (const Call& call : modules_[m].calls) {
        const int32_t holder = scope_info_[m][static_cast<size_t>(call.scope)].class_id;
        const Place& c = place_of(m, call.callee);
        if (call.own_attr_arg == 0 || holder < 0 || c.root != Root::Global) continue;
        const int32_t passed = attr_type(holder, modules_[m].texts[call.own_attr]);
        const int32_t made = resolve_class_name(m, c.path.empty() ? c.root_name : c.root_name + "." + c.path);
        if (passed < 0 || made < 0) continue;
        const auto [im, init] = constructor_of(made);
        if (init < 0) continue;
        const auto& params = modules_[im].scopes[static_cast<size_t>(init)].params;
        const size_t index = call.own_attr_arg;
        if (index >= params.size() || !params[index].annotation.empty()) continue;
        auto [it, fresh] = inferred_param_types_[im][init].emplace(params[index].name, passed);
        changed = note_param_type(it->second, passed, fresh) || changed;
      }
    if (!changed) return;
    // `self.server = server` in the constructors that gained a type.
    for (uint32_t m = 0; m < modules_.size(); ++m)
      for (const Access& a : modules_[m].accesses) {
        const Place& pl = place_of(m, a.place);
        const int32_t cls = scope_info_[m][static_cast<size_t>(a.scope)].class_id;
        if (a.kind != AccessKind::Write || a.value != ValueKind::Name || cls < 0 || !is_own_attribute_place(pl))
          continue;
        ClassInfo& ci = classes_[static_cast<size_t>(cls)];
        if (ci.attr_types.count(pl.path)) continue;
        const int32_t type = inferred_param_class(m, a.scope, modules_[m].value_text(a));
        if (type < 0) continue;
        ci.attr_types[pl.path] = type;
        if (type != cls) note_holder(type, cls);
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
