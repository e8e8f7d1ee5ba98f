// Linking: event-loop confinement. Code that runs only on an event loop's one
// thread: coroutines, functions that call `asyncio.get_running_loop()`, callables handed to the loop's schedulers
// (`loop.call_later(t, self.wakeup)`), methods decorated with a decorator
// whose wrapper hands the call to a scheduler (apscheduler's
// `@run_in_event_loop` doing `self._eventloop.call_soon_threadsafe(...)`),
// and private helpers that only such code calls.
#include <unordered_set>

#include "link/link_util.h"
#include "link/project.h"

namespace raceaudit {
namespace {

// Function scopes that call a loop scheduler, and the functions they are
// nested in (a decorator's wrapper schedules; the decorator is its parent).
std::unordered_set<int32_t> scheduling_functions(const ModuleFacts& mf) {
  std::unordered_set<int32_t> out;
  for (size_t s = 0; s < mf.scopes.size(); ++s) {
    if (!mf.scopes[s].schedules_on_loop) continue;
    out.insert(static_cast<int32_t>(s));
    const int32_t parent = mf.scopes[s].parent;
    if (parent >= 0 && mf.scopes[static_cast<size_t>(parent)].kind == ScopeKind::Function) out.insert(parent);
  }
  return out;
}

}  // namespace

void Project::compute_loop_confinement() {
  using Node = std::pair<uint32_t, int32_t>;
  const auto callers = callers_of_scopes();
  // Seeds: coroutines, callables given to a scheduler, loop-decorated functions.
  std::vector<std::vector<bool>> seed(modules_.size());
  for (uint32_t m = 0; m < modules_.size(); ++m) seed[m].assign(modules_[m].scopes.size(), false);
  for (uint32_t m = 0; m < modules_.size(); ++m) {
    const ModuleFacts& mf = modules_[m];
    const std::unordered_set<int32_t> schedulers = scheduling_functions(mf);
    for (size_t s = 0; s < mf.scopes.size(); ++s) {
      const Scope& sc = mf.scopes[s];
      if (sc.kind != ScopeKind::Function) continue;
      bool on_loop = sc.is_async || sc.needs_running_loop;
      if (sc.decorator && !schedulers.empty()) {
        const auto it = module_functions_[m].find(mf.decorator(sc));
        on_loop = on_loop || (it != module_functions_[m].end() && schedulers.count(it->second));
      }
      seed[m][s] = on_loop;
    }
    for (const Call& c : mf.calls)
      if (c.to_loop)
        for (const Node& t : resolve_call(m, c.scope, c.callee)) seed[t.first][static_cast<size_t>(t.second)] = true;
  }
  // Greatest fixpoint: a private helper is confined when every caller is.
  auto helper = [&](uint32_t m, size_t s) {
    const Scope& sc = modules_[m].scopes[s];
    const ScopeInfo& si = scope_info_[m][s];
    return sc.kind == ScopeKind::Function && link_util::is_private_name(sc.name) && !callers[m][s].empty() &&
           !si.callback && !si.thread_target;
  };
  for (uint32_t m = 0; m < modules_.size(); ++m)
    for (size_t s = 0; s < modules_[m].scopes.size(); ++s)
      scope_info_[m][s].loop_confined = seed[m][s] || helper(m, s);
  for (bool changed = true; changed;) {
    changed = false;
    for (uint32_t m = 0; m < modules_.size(); ++m)
      for (size_t s = 0; s < modules_[m].scopes.size(); ++s) {
        ScopeInfo& si = scope_info_[m][s];
        if (!si.loop_confined || seed[m][s]) continue;
        for (const Node& c : callers[m][s])
          if (!scope_info_[c.first][static_cast<size_t>(c.second)].loop_confined) {
            si.loop_confined = false;
            changed = true;
            break;
          }
      }
  }
}

}  // namespace raceaudit
