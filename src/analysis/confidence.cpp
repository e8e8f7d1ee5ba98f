// Confidence of a finding at an access: how sure it is that the place is
// shared between threads (docs/analysis-model.md), with the evidence seen.
#include "analysis/confidence.h"

#include <algorithm>

#include "analysis/ownership.h"
#include "models/test_frameworks.h"
#include "models/threading_apis.h"

namespace raceaudit {
namespace {

std::string quoted(const std::string& s) { return "`" + s + "`"; }

class Assessor {
 public:
  Assessor(const Project& p, AccessRef r, const AccessRef* partner)
      : p_(p), r_(r), partner_(partner), a_(p.access(r)), si_(p.scope_info(r.module, a_.scope)), loc_(p.location_of(r)) {}

  Assessment run() {
    collect();
    out_.confidence = decide();
    return std::move(out_);
  }

 private:
  const Project& p_;
  AccessRef r_;
  const AccessRef* partner_;
  const Access& a_;
  const ScopeInfo& si_;
  int32_t loc_;
  Assessment out_;
  bool coroutine_ = false, thread_ = false, class_intent_ = false, owner_intent_ = false, module_lock_ = false;
  bool starts_threads_ = false, referenced_ = false, through_object_ = false, returned_by_shared_ = false;
  bool owned_ = false, test_code_ = false, switch_ = false, callback_ = false, unreached_ = false, loop_ = false;
  bool lifecycle_ = false;

  void add(const char* kind, std::string message) { out_.evidence.push_back({kind, std::move(message)}); }
  const ClassInfo& cls(int32_t id) const { return p_.classes()[static_cast<size_t>(id)]; }

  // Holding a lock or running as a thread says "meant for threads".
  static bool has_intent(const ClassInfo& c) { return c.has_lock || c.thread_target || c.declared_shared; }
  bool intent(int32_t id) {
    if (id < 0) return false;
    const ClassInfo& c = cls(id);
    if (c.declared_shared) add("declared-shared", quoted(c.qualname) + " is declared shared in the configuration");
    if (c.has_lock) add("class-lock", quoted(c.qualname) + " takes a lock: it is meant to be thread safe");
    if (c.thread_target) add("thread-class", quoted(c.qualname) + " runs code as a thread");
    return has_intent(c);
  }

  void collect() {
    coroutine_ = p_.module(r_.module).scopes[static_cast<size_t>(a_.scope)].is_async;
    if (coroutine_) add("coroutine", "runs in a coroutine: it interleaves with others only at an await");
    if (si_.thread_reached) {
      thread_ = true;
      const Scope& t = p_.module(si_.thread_root_module).scopes[static_cast<size_t>(si_.thread_root)];
      add("thread-target", si_.thread_target ? "runs as a thread target"
                                              : "runs on a thread: called from thread target " + quoted(t.qualname));
    }
    class_intent_ = intent(si_.class_id);
    unreached();
    module_lock_ = p_.module_has_lock(r_.module);
    if (module_lock_) add("module-lock", "module " + quoted(p_.module(r_.module).module_name) + " takes a lock");
    starts_threads_ = si_.class_id >= 0 && cls(si_.class_id).starts_threads;
    test_code();
    if (loc_ < 0) return;
    const Location& l = p_.locations()[static_cast<size_t>(loc_)];
    guards(l);
    owner(l);
    event_loop(l);
    lifecycle(l);
    switch (l.kind) {
      case LocationKind::Global:
      case LocationKind::Path:
        add("module-state", quoted(l.display) + " is module-level state, shared by every thread");
        configuration_switch(l);
        break;
      case LocationKind::ClassAttr:
        add("class-attribute", quoted(l.display) + " is a class attribute, shared by every instance");
        if (l.owner != si_.class_id) owner_intent_ = intent(l.owner);
        // `Pool.ConnectionCls = H2Connection` from outside the class: a patch.
        if (si_.class_id < 0) configuration_switch(l);
        break;
      case LocationKind::Instance: {
        if (l.owner != si_.class_id) owner_intent_ = intent(l.owner);
        if (cls(l.owner).starts_threads) starts_threads_ = true;
        if (starts_threads_) add("starts-threads", "the class starts threads or hands work to executors");
        referenced_ = cls(l.owner).reached_shared;
        if (referenced_ && (cls(l.owner).shared_via >= 0 || cls(l.owner).held_by_module || cls(l.owner).hub ||
                            cls(l.owner).holds_locking >= 0))
          add("referenced-instance", reach_chain(l.owner));
        callback(cls(l.owner));
        // `request.headers`: another object's state is shared only when that object is.
        const Root root = p_.place(r_).root;
        through_object_ = root != Root::Self && root != Root::Element && referenced_;
        if (through_object_) add("through-object", "reached through another object");
        break;
      }
      case LocationKind::Unresolved:
        returned_by_shared_ = returned_by_shared();
        if (returned_by_shared_) add("returned-by-shared", "handed out by a method of a shared object");
        break;
    }
  }

  // The lock held at most accesses of the location: the strongest single signal
  // when this access goes without it, and a sign of intent either way.
  void guards(const Location& l) {
    const GuardedBy& g = p_.guarded_by(loc_);
    if (g.lock < 0 || g.guarded == g.sites) return;
    const std::vector<int32_t> held = p_.locks_at(r_);
    const bool here = std::find(held.begin(), held.end(), g.lock) != held.end();
    const std::string what = quoted(l.display) + " is accessed under " +
                             quoted(p_.locations()[static_cast<size_t>(g.lock)].display) + " at " +
                             std::to_string(g.guarded) + " of " + std::to_string(g.sites) + " sites";
    if (here) add("guarded-by", what + ", not at all of them");
    else add("guarded-by-violation", what + "; not here");
  }

  // A bound method handed to another object runs on the threads that object
  // fires it from, while the object's other methods run on their callers'.
  void callback(const ClassInfo& c) {
    if (c.callback.method < 0) return;
    callback_ = true;
    const Scope& m = p_.module(c.callback.method_module).scopes[static_cast<size_t>(c.callback.method)];
    add("registered-callback", quoted(m.qualname) + " is handed to another object as a callback (" +
                                   p_.module(c.callback.module).path + ":" + std::to_string(c.callback.line) +
                                   "): it runs on whichever thread fires it");
  }

  // Every write is made by one thread, on its own object, and so is the race's
  // other access: no other thread takes part.
  void owner(const Location& l) {
    if (!on_owner_thread(p_, r_) || (partner_ && !on_owner_thread(p_, *partner_))) return;
    owned_ = true;
    const Scope& t = p_.module(si_.thread_root_module).scopes[static_cast<size_t>(si_.thread_root)];
    add("single-thread-owner", "only the thread running " + quoted(t.qualname) + " writes " + quoted(l.display) +
                                   "; other threads can only read it");
  }

  // RacerD's rule: a private function is analysed in its callers' context.
  // One that nothing in the scanned code calls, passes on, registers or starts
  // (a helper only tests call, dead code) runs on no thread the model knows
  // of; so does a finding whose other access is in one. Not closures: lowering
  // records no bare name reads, so `return _sample` or `cb = _on_done` escape it.
  void unreached() {
    auto none = [&](AccessRef r) {
      const auto& scopes = p_.module(r.module).scopes;
      const Scope& sc = scopes[static_cast<size_t>(p_.access(r).scope)];
      const ScopeInfo& si = p_.scope_info(r.module, p_.access(r).scope);
      const bool closure = sc.parent >= 0 && scopes[static_cast<size_t>(sc.parent)].kind == ScopeKind::Function;
      return sc.kind == ScopeKind::Function && !closure && !sc.is_property && sc.decorator == 0 && !si.reachable;
    };
    const AccessRef* in = none(r_) ? &r_ : partner_ && none(*partner_) ? partner_ : nullptr;
    if (!in) return;
    unreached_ = true;
    add("unreached", quoted(p_.qualname_of(*in)) + " is private and nothing in the scanned code calls it: no "
                     "thread is known to run it");
  }

  // The access, every write of its place and the race's other access run on
  // the object's event loop, one thread (coroutines are already low).
  void event_loop(const Location& l) {
    if (coroutine_ || !on_event_loop(p_, r_) || (partner_ && !on_event_loop(p_, *partner_))) return;
    loop_ = true;
    add("event-loop-confined", quoted(p_.qualname_of(r_)) + " runs only on an event loop (a coroutine, a loop "
        "callback, a loop-scheduling decorator, or a helper only those call), and so does every write of " +
        quoted(l.display));
  }

  // `start()` checking `self._thread` and `stop()` clearing it: when the
  // access, the race's other access and every run-time write of the
  // instance attribute are in lifecycle code (link/lifecycle.cpp), the race
  // needs two of the owner's start/stop/close calls at once.
  void lifecycle(const Location& l) {
    if (l.kind != LocationKind::Instance || !in_lifecycle(r_) || (partner_ && !in_lifecycle(*partner_))) return;
    // `self._event.clear()` on a threading.Event is a call, not a write.
    const bool sync_object = p_.some_write_calls(loc_, is_sync_object_factory);
    for (const AccessRef& o : p_.accesses_of(loc_)) {
      const AccessKind k = p_.access(o).kind;
      const bool write = k == AccessKind::Write || k == AccessKind::ReadModifyWrite || (k == AccessKind::Mutate && !sync_object);
      if (write && !in_lifecycle(o)) return;
    }
    lifecycle_ = true;
    add("lifecycle", quoted(p_.qualname_of(r_)) + " and every write of " + quoted(l.display) +
                         " run only in start/stop/close methods (or helpers only they call), which no thread the "
                         "project starts reaches: the object's owner calls them, one at a time");
  }
  bool in_lifecycle(AccessRef r) const {
    return p_.in_private_phase(r) || p_.scope_info(r.module, p_.access(r).scope).lifecycle;
  }

  // A test suite's own code runs on the runner's one thread, unless the test
  // starts threads itself.
  void test_code() {
    const ModuleFacts& mf = p_.module(r_.module);
    if (!is_test_module(mf.module_name) || thread_ || starts_threads_ || p_.module_starts_threads(r_.module)) return;
    test_code_ = true;
    add("test-code", "in test module " + quoted(mf.module_name) + ", which starts no threads: its runner calls it on one thread");
  }

  // `enable_x()` setting `_X = True`: a global (or a class attribute set by a
  // module function: `Pool.ConnectionCls = H2Connection`) that run-time code
  // only sets to fixed values, never in a function that reads it, is a
  // process-wide switch, meant to reach every thread. One stored argument (`set_uid(uid)`)
  // makes it per-caller state, and its resets (`reset_ids()`) with it.
  void configuration_switch(const Location& l) {
    // A generator's write (`set; yield; restore` in a @contextmanager) is a
    // temporary override, not a setting.
    if (a_.kind != AccessKind::Write || used_as_object(l) ||
        p_.module(r_.module).scopes[static_cast<size_t>(a_.scope)].is_generator)
      return;
    for (const AccessRef& o : p_.accesses_of(loc_)) {
      const Access& oa = p_.access(o);
      if (o.module == r_.module && oa.scope == a_.scope && oa.kind != AccessKind::Write) return;
      // `_cache.get(k)` or `_cache[k]` uses the value: nulling it is RA008's shape.
      const bool plain_read = (oa.kind == AccessKind::Read && oa.op == Op::None) || oa.kind == AccessKind::Check;
      const bool fixed_write = oa.kind == AccessKind::Write && (p_.at_import_time(o) || p_.stores_fixed_value(o));
      if (!plain_read && !fixed_write) return;
    }
    switch_ = true;
    add("configuration-api", quoted(l.display) + " is set to a fixed value by a function that never reads it: a "
                             "process-wide switch");
  }

  // `_sock.sendall(data)`: a method called on the global's value.
  bool used_as_object(const Location& l) const {
    if (l.kind != LocationKind::Global || l.owner < 0) return false;
    const ModuleFacts& mf = p_.module(static_cast<uint32_t>(l.owner));
    for (const Call& c : mf.calls) {
      const Place& pl = mf.places[c.callee];
      if (pl.root == Root::Global && pl.root_name == l.name && !pl.path.empty()) return true;
    }
    return false;
  }

  // "instances of `A` are held by `B`, whose instances belong to a class that takes a lock".
  std::string reach_chain(int32_t id) const {
    std::string out = "instances of " + quoted(cls(id).qualname);
    for (int hops = 0; hops < 4; ++hops) {
      const ClassInfo& c = cls(id);
      if (c.shared_via < 0) {
        out += root_reason(c);
        return out;
      }
      const ClassInfo& via = cls(c.shared_via);
      out += (c.shared_via_hierarchy ? " share their code with " : " are held by ") + quoted(via.qualname) +
             ", whose instances";
      id = c.shared_via;
    }
    return out + " are reached from shared state";
  }

  std::string root_reason(const ClassInfo& c) const {
    if (c.held_by_module) return " are held at module level (a singleton, a class attribute or a decorator)";
    if (c.hub) return " are held by instances of several other classes";
    if (c.holds_locking >= 0)
      return " keep a " + quoted(cls(c.holds_locking).qualname) + ", a class that takes a lock: they expect callers on several threads";
    if (c.has_lock) return " belong to a class that takes a lock";
    if (c.thread_target || c.starts_threads) return " belong to a class that runs or starts threads";
    if (c.callback.method >= 0) return " have a method registered as a callback";
    return " are declared shared";
  }

  bool returned_by_shared() const {
    const Place& pl = p_.place(r_);
    if (pl.root != Root::Returned) return false;
    // Handed out by a method of a shared object (`entry = self.get_entry(name)`).
    for (auto [fm, fs] : p_.resolve_call(r_.module, a_.scope, pl.base)) {
      const int32_t owner = p_.scope_info(fm, fs).class_id;
      if (owner >= 0 && (cls(owner).reached_shared || has_intent(cls(owner))))
        return true;
    }
    return false;
  }

  Confidence decide() const {
    // Coroutines interleave only at awaits, on one event-loop thread.
    if (coroutine_ || owned_ || test_code_ || switch_ || unreached_ || loop_ || lifecycle_) return Confidence::Low;
    if (si_.thread_target || class_intent_) return Confidence::High;
    if (loc_ < 0) return Confidence::Low;
    const Location& l = p_.locations()[static_cast<size_t>(loc_)];
    switch (l.kind) {
      case LocationKind::Global:
      case LocationKind::Path:
        return module_lock_ ? Confidence::High : Confidence::Medium;
      case LocationKind::ClassAttr:
        return owner_intent_ || module_lock_ ? Confidence::High : Confidence::Medium;
      case LocationKind::Instance:
        if (owner_intent_) return Confidence::High;
        if (starts_threads_ || referenced_ || through_object_ || callback_) return Confidence::Medium;
        return Confidence::Low;
      case LocationKind::Unresolved:
        return returned_by_shared_ ? Confidence::Medium : Confidence::Low;
    }
    return Confidence::Low;
  }
};

}  // namespace

Assessment assess(const Project& p, AccessRef r, const AccessRef* partner) { return Assessor(p, r, partner).run(); }

}  // namespace raceaudit
