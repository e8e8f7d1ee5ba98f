// Linking: which code runs on a thread the project starts, and which code a
// user's threads can call. Both are forward reachability over the call graph
// (callees_), from two kinds of roots: thread targets (`Thread(target=f)`,
// `Thread` subclasses' run, executor submits) and public API (functions and
// methods with public names that are not thread targets and not set-up, and
// callbacks handed to other objects).
#include "link/project.h"

#include <algorithm>
#include <set>

#include "link/link_util.h"

namespace raceaudit {
namespace {

// Dunder methods other than the constructors are called by the interpreter on
// whatever thread uses the object (`__getitem__`, `__call__`, `__enter__`).
bool is_public_entry(const Scope& sc, const ScopeInfo& info) {
  if (sc.kind != ScopeKind::Function || info.thread_target || info.import_time || sc.is_init)
    return false;
  if (info.callback) return true;  // whoever fires it calls it, private or not
  return !link_util::is_private_name(sc.name);
}

}  // namespace

// The class whose thread target reaches a scope, or -1.
int32_t Project::own_thread_class(const ScopeInfo& info) const {
  if (!info.thread_reached) return -1;
  return scope_info_[info.thread_root_module][static_cast<size_t>(info.thread_root)].class_id;
}

// Loop bodies: methods a thread-reached method of the same class calls inside
// a loop (`while not self._stop: rc = self._loop(timeout)`).
std::set<std::pair<uint32_t, int32_t>> Project::loop_bodies() const {
  std::set<std::pair<uint32_t, int32_t>> out;
  for (uint32_t m = 0; m < modules_.size(); ++m)
    for (const Call& c : modules_[m].calls) {
      const ScopeInfo& caller = scope_info_[m][static_cast<size_t>(c.scope)];
      if (!c.in_loop || c.thread_target || c.callback || caller.class_id < 0 ||
          own_thread_class(caller) != caller.class_id)
        continue;
      for (auto callee : resolve_call(m, c.scope, c.callee))
        if (scope_info_[callee.first][static_cast<size_t>(callee.second)].class_id == caller.class_id)
          out.insert(callee);
    }
  return out;
}

void Project::compute_thread_reach() {
  using Node = std::pair<uint32_t, int32_t>;
  auto walk = [&](std::vector<Node> work, auto&& mark) {
    while (!work.empty()) {
      const Node n = work.back();
      work.pop_back();
      for (const Node& c : callees_[n.first][static_cast<size_t>(n.second)])
        if (mark(c, n)) work.push_back(c);
    }
  };
  std::vector<Node> targets, entries;
  for (uint32_t m = 0; m < modules_.size(); ++m)
    for (size_t s = 0; s < modules_[m].scopes.size(); ++s) {
      ScopeInfo& info = scope_info_[m][s];
      const Node self{m, static_cast<int32_t>(s)};
      if (info.thread_target) {
        info.thread_reached = true;
        info.thread_root_module = m;
        info.thread_root = self.second;
        targets.push_back(self);
      }
      if (is_public_entry(modules_[m].scopes[s], info)) {
        info.api_reached = true;
        entries.push_back(self);
      }
    }
  walk(targets, [&](const Node& c, const Node& from) {
    ScopeInfo& ci = scope_info_[c.first][static_cast<size_t>(c.second)];
    if (ci.thread_reached) return false;
    const ScopeInfo& fi = scope_info_[from.first][static_cast<size_t>(from.second)];
    ci.thread_reached = true;
    ci.thread_root_module = fi.thread_root_module;
    ci.thread_root = fi.thread_root;
    return true;
  });
  walk(entries, [&](const Node& c, const Node&) {
    ScopeInfo& ci = scope_info_[c.first][static_cast<size_t>(c.second)];
    if (ci.api_reached || ci.import_time) return false;
    ci.api_reached = true;
    return true;
  });
  // Loop drivers: public methods the class's own thread calls (`loop_forever`,
  // `loop_read` from the thread `loop_start` starts), and those that call one
  // of its loop bodies themselves (`loop()` running one `_loop()`). A user
  // who calls a driver drives the loop in that thread's place, so code
  // reached only through drivers still runs on one thread at a time.
  const std::set<Node> bodies = loop_bodies();
  std::vector<Node> others;
  for (const Node& e : entries) {
    ScopeInfo& info = scope_info_[e.first][static_cast<size_t>(e.second)];
    info.loop_driver = info.class_id >= 0 && !info.callback && (own_thread_class(info) == info.class_id ||
        std::any_of(callees_[e.first][static_cast<size_t>(e.second)].begin(),
                    callees_[e.first][static_cast<size_t>(e.second)].end(),
                    [&](const Node& c) { return bodies.count(c) > 0; }));
    if (info.loop_driver) continue;
    info.api_reached_besides_drivers = true;
    others.push_back(e);
  }
  walk(others, [&](const Node& c, const Node&) {
    ScopeInfo& ci = scope_info_[c.first][static_cast<size_t>(c.second)];
    if (ci.api_reached_besides_drivers || ci.import_time) return false;
    ci.api_reached_besides_drivers = true;
    return true;
  });
}

}  // namespace raceaudit
