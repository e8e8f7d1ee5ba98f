// Linking: lifecycle code, the part of an object's run-time code that only
// its owner's start/stop/close calls run (docs/analysis-model.md,
// "Lifecycle methods"). A public method with a lifecycle name that no
// thread the project starts reaches, and the private helpers only such
// methods call (a greatest fixpoint, like the set-up helpers').
#include "link/project.h"

#include "link/link_util.h"
#include "models/name_tables.h"

namespace raceaudit {
namespace {

// `close(self)`, `shutdown(self, wait=True)`, `start(self, *args)`: the
// object's own service. `close(self, fd)` closes something it is handed.
bool takes_no_required_argument(const Scope& method) {
  for (size_t i = 1; i < method.params.size(); ++i)
    if (method.params[i].required) return false;
  return true;
}

}  // namespace

void Project::compute_lifecycle() {
  using Node = std::pair<uint32_t, int32_t>;
  const auto callers = callers_of_scopes();

  // Code some other thread may run: a thread's, a callback's, one passed on
  // or reached in a way the call graph does not see.
  auto elsewhere = [](const ScopeInfo& i) {
    return i.thread_reached || i.callback || i.passed || i.named_elsewhere || i.thread_target;
  };
  std::vector<std::vector<bool>> helper(modules_.size());
  for (uint32_t m = 0; m < modules_.size(); ++m) {
    helper[m].assign(modules_[m].scopes.size(), false);
    for (size_t s = 0; s < modules_[m].scopes.size(); ++s) {
      const Scope& sc = modules_[m].scopes[s];
      ScopeInfo& info = scope_info_[m][s];
      if (sc.kind != ScopeKind::Function || !sc.is_method || elsewhere(info)) continue;
      if (is_lifecycle_method_name(sc.name) && takes_no_required_argument(sc) && !sc.is_staticmethod) {
        info.lifecycle = true;
      } else if (is_private_name(sc.name) && !callers[m][s].empty()) {
        helper[m][s] = true;
        info.lifecycle = true;  // until a caller says otherwise
      }
    }
  }
  for (bool changed = true; changed;) {
    changed = false;
    for (uint32_t m = 0; m < modules_.size(); ++m)
      for (size_t s = 0; s < modules_[m].scopes.size(); ++s) {
        ScopeInfo& info = scope_info_[m][s];
        if (!helper[m][s] || !info.lifecycle) continue;
        for (const Node& c : callers[m][s])
          if (!scope_info_[c.first][static_cast<size_t>(c.second)].lifecycle) {
            info.lifecycle = false;
            changed = true;
            break;
          }
      }
  }
}

}  // namespace raceaudit
