// Linking: the one-line summary "returns a live view of parameter i"
// (ViewHelper, computed by lowering per function and module-level lambda),
// applied at the calls that lowering recorded as possible iterations of an
// argument (HelperIteration). See docs/analysis-model.md, "Iteration".
#include "link/project.h"

namespace raceaudit {

int Project::view_argument(uint32_t m, int32_t scope, PlaceId callee) const {
  const Place& c = place_of(m, callee);
  for (auto [fm, fs] : resolve_call(m, scope, callee)) {
    const Scope& sc = modules_[fm].scopes[static_cast<size_t>(fs)];
    auto h = module_view_helpers_[fm].find(sc.qualname);
    if (h == module_view_helpers_[fm].end()) return -1;
    // `self.items_of(d)`, `obj.items_of(d)`: the method's first parameter is bound.
    const bool bound = sc.is_method && !sc.is_staticmethod && !(c.root == Root::Global && c.path.empty());
    return static_cast<int>(h->second) - (bound ? 1 : 0);
  }
  // Lambdas have no scope: `dict_values = lambda d: d.values()` here, in an
  // imported module, or re-exported.
  if (c.root != Root::Global || c.path.find('.') != std::string::npos) return -1;
  const ExportLookup lookup = [this](uint32_t mod, const std::string& name) -> int32_t {
    auto h = module_view_helpers_[mod].find(name);
    return h == module_view_helpers_[mod].end() ? -1 : h->second;
  };
  if (c.path.empty()) return exported(m, c.root_name, lookup);
  const int32_t mod = resolve_module_alias(m, c.root_name);
  return mod >= 0 ? exported(static_cast<uint32_t>(mod), c.path, lookup) : -1;
}

void Project::drop_helper_iterations() {
  for (uint32_t m = 0; m < modules_.size(); ++m) {
    const ModuleFacts& mf = modules_[m];
    for (const HelperIteration& h : mf.helper_iterations)
      if (view_argument(m, mf.accesses[h.access].scope, h.callee) != h.arg) access_location_[m][h.access] = -1;
  }
}

}  // namespace raceaudit
