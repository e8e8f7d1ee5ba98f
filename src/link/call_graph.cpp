// Linking: calls resolved to functions, thread targets, and the greatest
// fixpoints over private helpers (init-only, import-time-only, caller locks).
#include "link/project.h"

#include <algorithm>

#include "link/link_util.h"
#include "models/name_tables.h"
#include "models/test_frameworks.h"

namespace raceaudit {
namespace {

// `if self._thread is not None: return` ... `self._thread = Thread(...)`: the
// function starts a thread only when the attribute it keeps the thread in is
// still empty, so each object gets one such thread however often it is called.
bool starts_once_per_object(const ModuleFacts& mf, int32_t scope) {
  for (const Access& w : mf.accesses) {
    if (w.scope != scope || w.kind != AccessKind::Write || w.value != ValueKind::Call ||
        !starts_one_thread(mf.texts[w.value_text]))
      continue;
    const Place& kept = mf.places[w.place];
    if (!is_own_attribute_place(kept)) continue;
    for (const Access& c : mf.accesses)
      if (c.scope == scope && c.kind == AccessKind::Check && c.order < w.order && mf.places[c.place].root == Root::Self &&
          mf.places[c.place].path == kept.path)
        return true;
  }
  return false;
}

}  // namespace

// `self.server.interrupt = exc` where `interrupt` is a property with a
// setter: the assignment calls the setter.
// `setters`: the decorator texts of every setter in the project
// (`interrupt.setter`), so that most writes cost one lookup.
std::vector<std::pair<uint32_t, int32_t>> Project::setters_called_by(
    uint32_t m, const Access& a, const std::unordered_set<std::string>& setters) const {
  std::vector<std::pair<uint32_t, int32_t>> out;
  const Place& pl = place_of(m, a.place);
  if (a.kind != AccessKind::Write || (pl.root != Root::Self && pl.root != Root::Cls) || pl.path.empty()) return out;
  const std::string setter = pl.path.substr(pl.path.rfind('.') + 1) + ".setter";
  if (!setters.count(setter)) return out;
  // Calls resolve a qualname to its last `def`: the setter, unless a deleter follows it.
  for (auto [fm, fs] : resolve_call(m, a.scope, a.place)) {
    const auto& scopes = modules_[fm].scopes;
    // Back through the class body's scopes, which come in source order.
    for (int32_t s = fs; s > scopes[static_cast<size_t>(fs)].enclosing_class; --s) {
      const Scope& sc = scopes[static_cast<size_t>(s)];
      if (sc.kind != ScopeKind::Function || sc.qualname != scopes[static_cast<size_t>(fs)].qualname) continue;
      if (sc.decorator && modules_[fm].decorator(sc) == setter) {
        out.emplace_back(fm, s);
        break;
      }
    }
  }
  return out;
}

// The call graph inverted: per module, per scope, the (module, scope) pairs that call it.
std::vector<std::vector<std::vector<std::pair<uint32_t, int32_t>>>> Project::callers_of_scopes() const {
  std::vector<std::vector<std::vector<std::pair<uint32_t, int32_t>>>> callers(modules_.size());
  for (uint32_t m = 0; m < modules_.size(); ++m) callers[m].resize(modules_[m].scopes.size());
  for (uint32_t m = 0; m < modules_.size(); ++m)
    for (size_t s = 0; s < modules_[m].scopes.size(); ++s)
      for (const auto& c : callees_[m][s]) callers[c.first][static_cast<size_t>(c.second)].emplace_back(m, s);
  return callers;
}

// A module-level function of `mod` named `name`, or one it re-exports.
void Project::function_in_module(uint32_t mod, const std::string& name,
                                 std::vector<std::pair<uint32_t, int32_t>>& out) const {
  uint32_t home = mod;
  const int32_t fn = exported(mod, name, [&](uint32_t mm, const std::string& n) -> int32_t {
    auto f = module_functions_[mm].find(n);
    if (f == module_functions_[mm].end()) return -1;
    home = mm;
    return f->second;
  });
  if (fn >= 0) out.emplace_back(home, fn);
}

std::vector<std::pair<uint32_t, int32_t>> Project::resolve_call(uint32_t m, int32_t scope, PlaceId callee) const {
  const Place& c = place_of(m, callee);
  std::vector<std::pair<uint32_t, int32_t>> out;
  auto method_of = [&](int32_t cls, const std::string& name) {
    std::vector<int32_t> stack{cls};
    for (size_t i = 0; i < stack.size() && i < 64; ++i) {
      const ClassInfo& ci = classes_[static_cast<size_t>(stack[i])];
      const auto mm = static_cast<uint32_t>(ci.module);
      const std::string q = modules_[mm].scopes[static_cast<size_t>(ci.scope)].qualname + "." + name;
      if (auto it = module_functions_[mm].find(q); it != module_functions_[mm].end()) {
        out.emplace_back(mm, it->second);
        return;
      }
      stack.insert(stack.end(), ci.bases.begin(), ci.bases.end());
    }
  };
  const int32_t cls = scope_info_[m][static_cast<size_t>(scope)].class_id;
  if ((c.root == Root::Self || c.root == Root::Cls) && !c.path.empty()) {
    // self.method(), or self.fs.method() through the attribute's type.
    int32_t target = cls;
    std::string rest = c.path;
    for (size_t dot = rest.find('.'); target >= 0 && dot != std::string::npos; dot = rest.find('.')) {
      target = attr_type(target, property_target(target, rest.substr(0, dot)));
      rest = rest.substr(dot + 1);
    }
    if (target >= 0) method_of(target, rest);
    // `self.m()` dispatches to an override when self is a subclass instance.
    if (target >= 0 && target == cls && c.root == Root::Self) add_overrides(target, rest, out);
    return out;
  }
  if (c.root != Root::Global) return out;
  if (c.path.empty()) {
    // A function nested in an enclosing function or class body comes first.
    for (int32_t s = scope; s > 0; s = modules_[m].scopes[static_cast<size_t>(s)].parent) {
      const std::string q = modules_[m].scopes[static_cast<size_t>(s)].qualname + "." + c.root_name;
      if (auto it = module_functions_[m].find(q); it != module_functions_[m].end()) {
        out.emplace_back(m, it->second);
        return out;
      }
    }
    if (auto it = module_functions_[m].find(c.root_name); it != module_functions_[m].end()) {
      out.emplace_back(m, it->second);
      return out;
    }
    // Imported by name (also through a package's re-export), or by `from m import *`.
    if (auto imp = module_imports_[m].find(c.root_name); imp != module_imports_[m].end()) {
      if (const int32_t mod = find_module(imp->second->module); mod >= 0 && !imp->second->name.empty())
        function_in_module(static_cast<uint32_t>(mod), imp->second->name, out);
    } else if (!star_imports_[m].empty()) {
      function_in_module(m, c.root_name, out);
    }
    return out;
  }
  if (c.path.find('.') != std::string::npos) return out;
  const int32_t mod = resolve_module_alias(m, c.root_name);
  if (mod >= 0) {
    function_in_module(static_cast<uint32_t>(mod), c.path, out);
    return out;
  }
  const int32_t k = resolve_class_name(m, c.root_name);
  if (k >= 0) method_of(k, c.path);
  return out;
}

void Project::add_overrides(int32_t cls, const std::string& name,
                            std::vector<std::pair<uint32_t, int32_t>>& out) const {
  std::vector<int32_t> stack(classes_[static_cast<size_t>(cls)].subclasses);
  for (size_t i = 0; i < stack.size() && i < 256; ++i) {
    const ClassInfo& sub = classes_[static_cast<size_t>(stack[i])];
    const auto sm = static_cast<uint32_t>(sub.module);
    const std::string q = modules_[sm].scopes[static_cast<size_t>(sub.scope)].qualname + "." + name;
    if (auto it = module_functions_[sm].find(q); it != module_functions_[sm].end()) out.emplace_back(sm, it->second);
    stack.insert(stack.end(), sub.subclasses.begin(), sub.subclasses.end());
  }
}

// A pytest fixture, a module-level set-up hook, or a set-up method of a test
// class (a unittest.TestCase, directly or through project bases, or a class
// pytest collects: `Test*`). A library's own `setUp` (a patcher users call
// from their tests) is ordinary run-time code.
bool Project::is_test_setup(uint32_t m, const Scope& sc) const {
  if (sc.kind != ScopeKind::Function) return false;
  if (sc.decorator && is_test_fixture_decorator(modules_[m].decorator(sc))) return true;
  if (!sc.is_test_setup) return false;
  if (!sc.is_method) return true;
  const int32_t start = scope_info_[m][static_cast<size_t>(sc.enclosing_class)].class_id;
  std::vector<int32_t> stack{start};
  for (size_t i = 0; i < stack.size() && i < 64 && stack[i] >= 0; ++i) {
    const ClassInfo& c = classes_[static_cast<size_t>(stack[i])];
    if (c.name.rfind("Test", 0) == 0) return true;
    for (const std::string& b : c.base_names)
      if (b.size() >= 8 && b.compare(b.size() - 8, 8, "TestCase") == 0) return true;
    stack.insert(stack.end(), c.bases.begin(), c.bases.end());
  }
  return false;
}

void Project::build_call_graph() {
  struct Edge {
    uint32_t caller_module;
    int32_t caller_scope;
    uint32_t lockset;
    bool passed = false;  // the callee is passed as an argument, not called
  };
  // callee (module, scope) -> callers
  std::vector<std::vector<std::vector<Edge>>> callers(modules_.size());
  struct Start {
    uint32_t target_module;
    int32_t target;
    uint32_t starter_module;
    int32_t starter;
  };
  std::vector<Start> starts;
  callees_.resize(modules_.size());
  std::unordered_set<std::string> setters;
  for (uint32_t m = 0; m < modules_.size(); ++m) {
    callers[m].resize(modules_[m].scopes.size());
    callees_[m].resize(modules_[m].scopes.size());
    for (const Scope& sc : modules_[m].scopes) {
      const std::string& d = modules_[m].decorator(sc);
      if (sc.decorator && d.size() > 7 && d.compare(d.size() - 7, 7, ".setter") == 0) setters.insert(d);
    }
  }

  for (uint32_t m = 0; m < modules_.size(); ++m) {
    const ModuleFacts& mf = modules_[m];
    for (size_t ci = 0; ci < mf.calls.size(); ++ci) {
      const Call& c = mf.calls[ci];
      const auto& caller_info = scope_info_[m][static_cast<size_t>(c.scope)];
      if (c.thread_target) {
        if (caller_info.class_id >= 0) classes_[static_cast<size_t>(caller_info.class_id)].starts_threads = true;
        module_starts_threads_[m] = true;
      }
      for (auto [cm, cs] : resolve_call(m, c.scope, c.callee)) {
        if (c.callback) {
          ScopeInfo& ti = scope_info_[cm][static_cast<size_t>(cs)];
          ti.callback = true;
          const int32_t tc = ti.class_id;
          if (tc >= 0 && classes_[static_cast<size_t>(tc)].callback.method < 0)
            classes_[static_cast<size_t>(tc)].callback = {m, c.span.line, cm, cs};
          continue;  // called later, by whoever fires it, without this caller's locks
        }
        if (c.thread_target) {
          ScopeInfo& ti = scope_info_[cm][static_cast<size_t>(cs)];
          // A pool task, a start in a loop, or a second start site: many threads.
          if (!c.one_thread || c.in_loop || ti.thread_target) ti.many_threads = true;
          ti.thread_target = true;
          starts.push_back({cm, cs, m, c.scope});
          const int32_t tc = scope_info_[cm][static_cast<size_t>(cs)].class_id;
          if (tc >= 0) classes_[static_cast<size_t>(tc)].thread_target = true;
          continue;  // a thread target is not "called" by the starter
        }
        // A function passed on (`self._flush_exception(self._flush_some)`) is
        // reached through the call it is passed to, which mostly runs it at
        // once, under the caller's locks; it may keep it for later, so it is
        // not a set-up helper.
        if (c.passed) scope_info_[cm][static_cast<size_t>(cs)].passed = true;
        callers[cm][static_cast<size_t>(cs)].push_back({m, c.scope, call_locks_[m][ci], c.passed});
        callees_[m][static_cast<size_t>(c.scope)].emplace_back(cm, cs);
      }
    }
    for (size_t ai = 0; ai < mf.accesses.size(); ++ai)
      for (auto [cm, cs] : setters_called_by(m, mf.accesses[ai], setters)) {
        callers[cm][static_cast<size_t>(cs)].push_back({m, mf.accesses[ai].scope, access_locks_[m][ai], false});
        callees_[m][static_cast<size_t>(mf.accesses[ai].scope)].emplace_back(cm, cs);
      }
  }

  // Base facts per scope.
  for (uint32_t m = 0; m < modules_.size(); ++m) {
    const ModuleFacts& mf = modules_[m];
    for (size_t s = 0; s < mf.scopes.size(); ++s) {
      const Scope& sc = mf.scopes[s];
      auto& info = scope_info_[m][s];
      // A test's set-up runs on the runner's thread before the test's threads start.
      const bool setup = is_test_setup(m, sc);
      info.import_time = sc.kind != ScopeKind::Function || sc.is_class_init || setup;
      info.instance_init = sc.kind != ScopeKind::Function || sc.is_init || sc.is_class_init || setup ||
                           is_state_gated_setup(m, static_cast<int32_t>(s));
      // Thread subclasses: run() is the thread's body.
      if (sc.kind == ScopeKind::Function && sc.is_method && sc.name == "run" && info.class_id >= 0 &&
          classes_[static_cast<size_t>(info.class_id)].thread_target)
        info.thread_target = true;
    }
  }

  // Greatest fixpoints over private helpers: init-only, import-time-only, and
  // the locks every caller holds.
  auto candidate = [&](uint32_t m, size_t s) {
    const Scope& sc = modules_[m].scopes[s];
    return sc.kind == ScopeKind::Function && is_private_name(sc.name) && !callers[m][s].empty() &&
           !scope_info_[m][s].thread_target && !scope_info_[m][s].callback;
  };
  std::vector<std::vector<bool>> lock_top(modules_.size());  // entry locks still "everything"
  for (uint32_t m = 0; m < modules_.size(); ++m) {
    lock_top[m].assign(modules_[m].scopes.size(), false);
    for (size_t s = 0; s < modules_[m].scopes.size(); ++s)
      if (candidate(m, s)) {
        scope_info_[m][s].instance_init = true;
        scope_info_[m][s].import_time = true;
        lock_top[m][s] = true;
      }
  }
  for (int round = 0; round < 64; ++round) {
    bool changed = false;
    for (uint32_t m = 0; m < modules_.size(); ++m)
      for (size_t s = 0; s < modules_[m].scopes.size(); ++s) {
        if (!candidate(m, s)) continue;
        auto& info = scope_info_[m][s];
        bool init = true, import = true;
        bool any_known = false;
        std::vector<int32_t> locks;
        for (const Edge& e : callers[m][s]) {
          const auto& ci = scope_info_[e.caller_module][static_cast<size_t>(e.caller_scope)];
          init = init && ci.instance_init && !e.passed;
          import = import && ci.import_time && !e.passed;
          if (lock_top[e.caller_module][static_cast<size_t>(e.caller_scope)]) continue;
          std::vector<int32_t> held = unite(locksets_[e.lockset], ci.entry_locks);
          locks = any_known ? intersect(locks, held) : held;
          any_known = true;
        }
        if (info.instance_init != init) { info.instance_init = init; changed = true; }
        if (info.import_time != import) { info.import_time = import; changed = true; }
        if (any_known && (lock_top[m][s] || locks != info.entry_locks)) {
          lock_top[m][s] = false;
          info.entry_locks = locks;
          changed = true;
        }
      }
    if (!changed) break;
  }
  for (uint32_t m = 0; m < modules_.size(); ++m)
    for (size_t s = 0; s < modules_[m].scopes.size(); ++s)
      if (lock_top[m][s]) scope_info_[m][s].entry_locks.clear();  // only recursive callers: unknown
  // A start in run-time code may run again on the same object (`start()`
  // called twice, a reconnect): one thread per object only when it is made
  // while the object or module is still being set up, or by a start guarded
  // by the attribute that keeps the thread.
  for (const Start& st : starts) {
    const ScopeInfo& starter = scope_info_[st.starter_module][static_cast<size_t>(st.starter)];
    if (!starter.instance_init && !starter.import_time &&
        !starts_once_per_object(modules_[st.starter_module], st.starter))
      scope_info_[st.target_module][static_cast<size_t>(st.target)].many_threads = true;
  }
}

}  // namespace raceaudit
