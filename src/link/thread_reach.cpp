// Linking: which code runs on a thread the project starts, and which code a
// user's threads can call. Both are forward reachability over the call graph
// (callees_), from two kinds of roots: thread targets (`Thread(target=f)`,
// `Thread` subclasses' run, executor submits) and public API (functions and
// methods with public names that are not thread targets and not set-up, and
// callbacks handed to other objects).
#include "link/project.h"

#include <algorithm>
#include <set>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

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
      if (!c.in_loop || c.thread_target || c.callback || c.passed || caller.class_id < 0 ||
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
  mark_named_elsewhere();
}

// Also named: a prefix in the text (`getattr(self, "_handle_%s" % kind)`
// mentions `_handle_`), a `self._x()` that resolves to no method of the class
// (a mixin's call into its sibling), and a function defined twice under one
// name (`if mswindows: def _execute_child ... else: def _execute_child`),
// since calls resolve to one of them.
void Project::mark_named_elsewhere() {
  std::unordered_set<std::string_view> names;
  std::vector<std::string_view> prefixes;
  for (const ModuleFacts& mf : modules_)
    for (const std::string& n : mf.private_references) {
      names.insert(n);
      if (n.size() >= 3 && n.back() == '_') prefixes.push_back(n);
    }
  for (uint32_t m = 0; m < modules_.size(); ++m)
    for (const Call& c : modules_[m].calls) {
      const Place& pl = modules_[m].places[c.callee];
      if ((pl.root == Root::Self || pl.root == Root::Cls) && !pl.path.empty() &&
          pl.path.find('.') == std::string::npos && resolve_call(m, c.scope, c.callee).empty())
        names.insert(pl.path);
    }
  for (uint32_t m = 0; m < modules_.size(); ++m) {
    std::unordered_map<std::string_view, int> defined;
    for (const Scope& sc : modules_[m].scopes) ++defined[sc.qualname];
    for (size_t s = 0; s < modules_[m].scopes.size(); ++s) {
      const Scope& sc = modules_[m].scopes[s];
      if (sc.kind != ScopeKind::Function) continue;
      const std::string_view name = sc.name;
      scope_info_[m][s].named_elsewhere =
          names.count(name) || defined[sc.qualname] > 1 ||
          std::any_of(prefixes.begin(), prefixes.end(),
                      [&](std::string_view p) { return name.size() > p.size() && name.substr(0, p.size()) == p; });
    }
  }
  // Reachable: from any entry, set-up code, or function named elsewhere.
  std::vector<std::pair<uint32_t, int32_t>> work;
  for (uint32_t m = 0; m < modules_.size(); ++m)
    for (size_t s = 0; s < modules_[m].scopes.size(); ++s) {
      ScopeInfo& si = scope_info_[m][s];
      si.reachable = modules_[m].scopes[s].kind != ScopeKind::Function || si.named_elsewhere || si.api_reached ||
                     si.thread_reached || si.instance_init || si.import_time || si.callback || si.thread_target;
      if (si.reachable) work.emplace_back(m, static_cast<int32_t>(s));
    }
  while (!work.empty()) {
    const auto [m, s] = work.back();
    work.pop_back();
    for (const auto& c : callees_[m][static_cast<size_t>(s)])
      if (ScopeInfo& ci = scope_info_[c.first][static_cast<size_t>(c.second)]; !ci.reachable) {
        ci.reachable = true;
        work.push_back(c);
      }
  }
}

}  // namespace raceaudit
