// The linked, project-wide view of all modules' facts that rules read:
// classes and their bases, what each access refers to, which functions run
// only at init time or only under a caller's lock, and how shared a class is.
#pragma once

#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <unordered_map>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "diag/confidence.h"
#include "facts/facts.h"

namespace raceaudit {

struct LinkOptions {
  std::vector<std::string> extra_lock_factories;  // dotted callee names, e.g. "mylib.SpinLock"
  std::vector<std::string> shared_classes;        // class names (simple or qualified) declared shared
  std::vector<std::string> confined_classes;      // class names declared thread-confined
};

enum class LocationKind : uint8_t { Instance, ClassAttr, Global, Unresolved, Path };

// A shared place, after linking: the same attribute reached from different
// methods, receivers or files is one Location.
struct Location {
  LocationKind kind = LocationKind::Unresolved;
  int32_t owner = -1;   // class id (Instance, ClassAttr) or module id (Global), else -1
  std::string name;     // attribute or global name (last part)
  std::string display;  // "Store.last_ino", "settings.USER_ID", "node.count"
  Container container = Container::Unknown;  // what the writes store there, when they say (`[]`, `dict()`)
};

struct ClassInfo {
  int32_t module = -1;
  int32_t scope = -1;
  std::string name;      // simple name
  std::string qualname;  // "pkg.mod.Outer.Inner"
  std::vector<int32_t> bases;             // resolved base class ids within the project
  std::vector<int32_t> subclasses;        // the classes that name this one as a base
  std::vector<std::string> base_names;    // text of all bases, resolved or not
  std::unordered_map<std::string, int32_t> attr_types;       // attribute -> class id
  std::unordered_map<std::string, std::string> properties;   // property -> attribute it returns
  std::unordered_set<std::string> written_attrs;             // instance attributes assigned anywhere
  std::unordered_set<std::string> class_attrs;               // class attributes (class body, cls.x, type(self).x)
  std::unordered_set<std::string> lock_attrs;                // attributes this class assigns a lock to
  bool has_lock = false;        // holds or takes a lock
  bool starts_threads = false;  // starts threads or hands work to executors
  bool thread_target = false;   // a method runs as a thread target; or a Thread subclass
  bool held_by_module = false;  // a module-level singleton, a class attribute, or made by a decorator
  std::vector<int32_t> holders; // classes whose instances keep one in an attribute
  // Reached from state every thread can reach (compute_sharing): held by the
  // module, showing thread intent, a hub, or held by a class that is.
  bool reached_shared = false;
  int32_t shared_via = -1;      // the class it is reached through, or -1 for its own signal
  bool shared_via_hierarchy = false;  // shared_via is a base or subclass, not a holder
  bool hub = false;             // held by two or more unrelated classes (and not a value container)
  int32_t holds_locking = -1;   // a class that takes a lock, kept in an attribute: meant for threads
  // A method of this class handed to another object as a callback (the first one seen).
  struct CallbackSite {
    uint32_t module = 0;         // of the registering call
    uint32_t line = 0;
    uint32_t method_module = 0;
    int32_t method = -1;         // scope of the method
  };
  CallbackSite callback;
  bool is_thread_local = false;  // subclass of threading.local
  bool declared_shared = false;
  bool confined = false;
};

// Per-scope results of the call graph.
struct ScopeInfo {
  bool instance_init = false;   // runs while the instance is private: __init__ & helpers only it calls
  bool import_time = false;     // module/class body, or called only from there
  bool thread_target = false;
  bool callback = false;        // handed to another object to call later: it runs on that object's threads
  bool passed = false;          // passed as an argument to a call (`retry(self._acquire)`), which may run it
  // A private function whose name the scanned code mentions outside its `def`
  // (`w._commit_removals()` on a receiver linking cannot resolve, a decorator,
  // a list of methods): it may be reached in a way the call graph misses.
  bool named_elsewhere = false;
  // Called (transitively) from an entry point, set-up code or a function named
  // elsewhere; false: nothing in the scanned code is known to run it.
  bool reachable = false;
  // Runs only on an event loop's one thread (link/event_loop.cpp): a
  // coroutine, a callable handed to the loop's scheduler, a loop-decorated
  // method, or a private helper only such code calls.
  bool loop_confined = false;
  bool many_threads = false;    // thread target started by an executor, in a loop, or at several sites
  bool thread_reached = false;  // a thread target or called (transitively) from one
  bool api_reached = false;     // a public function or method, or called (transitively) from one
  bool loop_driver = false;     // a public method the class's own thread target calls (`loop_forever`)
  bool api_reached_besides_drivers = false;  // api_reached from a public entry that is not a loop driver
  // Runs only in the owner's lifecycle calls: a public `start`/`stop`/`close`
  // method no thread target reaches, or a private helper only those call
  // (link/lifecycle.cpp).
  bool lifecycle = false;
  uint32_t thread_root_module = 0;  // when thread_reached: one thread target that reaches it
  int32_t thread_root = -1;
  std::vector<int32_t> entry_locks;  // lock locations every caller holds (sorted)
  int32_t class_id = -1;        // enclosing class, if any
};

// `self.x` (one attribute on the instance a method runs on).
inline bool is_own_attribute_place(const Place& p) {
  return p.root == Root::Self && !p.path.empty() && p.path.find('.') == std::string::npos;
}

// Guarded-by inference (FindBugs' inconsistent synchronization, clang's
// GUARDED_BY): the lock held at most of a location's run-time accesses.
struct GuardedBy {
  int32_t lock = -1;     // location of the lock held at the most accesses; -1 when none is held at any
  uint32_t guarded = 0;  // run-time accesses that hold it
  uint32_t sites = 0;    // run-time accesses in all (those in a private phase are left out)
};

// Single-thread ownership: the thread target whose thread makes every
// run-time write of a location, on its own object (`self.x`).
struct SoleWriter {
  uint32_t module = 0;
  int32_t thread = -1;  // the thread target's scope; -1 when writes come from more than one thread
  // Other threads also replace the container with a fresh one (`reconnect()`
  // resetting `self._in_packet = {...}`): the thread still owns the elements.
  bool rebound_elsewhere = false;
  bool on_loop = true;  // every run-time write runs on an event loop (ScopeInfo::loop_confined)
};

struct AccessRef {
  uint32_t module = 0;
  uint32_t access = 0;
};

class Project {
 public:
  Project(std::vector<ModuleFacts> modules, LinkOptions options);

  const std::vector<ModuleFacts>& modules() const { return modules_; }
  const ModuleFacts& module(uint32_t m) const { return modules_[m]; }
  const Access& access(AccessRef r) const { return modules_[r.module].accesses[r.access]; }
  const Place& place(AccessRef r) const { return modules_[r.module].places[access(r).place]; }
  const std::vector<ClassInfo>& classes() const { return classes_; }
  const std::vector<Location>& locations() const { return locations_; }
  const ScopeInfo& scope_info(uint32_t m, int32_t scope) const { return scope_info_[m][static_cast<size_t>(scope)]; }

  // The location an access refers to, or -1 when it is not shared
  // (thread-local, confined class, local object).
  int32_t location_of(AccessRef r) const { return access_location_[r.module][r.access]; }
  // All accesses to a location, in module then source order.
  const std::vector<AccessRef>& accesses_of(int32_t location) const { return by_location_[static_cast<size_t>(location)]; }

  // Locks held at an access, as the locations of the lock objects: its own
  // `with`/acquire regions plus locks every caller of its function holds. Sorted.
  std::vector<int32_t> locks_at(AccessRef r) const;
  bool holds_any_lock(AccessRef r) const { return !locks_at(r).empty(); }
  bool share_a_lock(AccessRef a, AccessRef b) const;
  // Both hold a common lock with no release in between: a check in one
  // `with lock:` block and an act in the next share the lock, not the section.
  bool in_one_critical_section(AccessRef a, AccessRef b) const;

  // Does this access run while its object / module is still private?
  bool in_instance_init(AccessRef r) const;
  bool at_import_time(AccessRef r) const;
  // Runs while its location is still private to one thread: instance
  // attributes of `self` during __init__ and its helpers; class attributes and
  // globals at import time (or in a test's set-up).
  bool in_private_phase(AccessRef r) const;
  // The write stores a literal constant or a name bound at import (not an argument).
  bool stores_fixed_value(AccessRef r) const;
  // Some write of the location stores a call of a factory `made_by` accepts
  // (`self._ids = itertools.count()`).
  bool some_write_calls(int32_t location, bool (*made_by)(std::string_view callee)) const;
  // Runs only on one thread: reached from a thread target that runs on one
  // thread per object, and from public API only through loop drivers.
  bool runs_on_one_thread(AccessRef r) const;
  // Two accesses of an instance's state that both run only on the same one
  // thread (one target, one object): they happen one after the other.
  bool on_one_thread_together(AccessRef a, AccessRef b) const;
  // A conflicting pair can really overlap: no common lock, and not both on
  // the object's one thread.
  bool may_overlap(AccessRef a, AccessRef b) const { return !share_a_lock(a, b) && !on_one_thread_together(a, b); }

  const GuardedBy& guarded_by(int32_t location) const { return guards_[static_cast<size_t>(location)]; }
  const SoleWriter& sole_writer(int32_t location) const { return sole_writers_[static_cast<size_t>(location)]; }

  // The module takes a lock somewhere (it means to be thread safe).
  bool module_has_lock(uint32_t m) const { return module_has_lock_[m]; }
  // A module global assigned a lock (`_lock = threading.Lock()`).
  // The location of `name` on `owner` (class or module id).
  // The location of `name` on `owner` (a class or module id); -1 when never interned.
  int32_t find_location(LocationKind k, int32_t owner, const std::string& name) const;
  // The locations of module m's globals assigned a lock (`_lock = threading.Lock()`).
  std::vector<int32_t> lock_globals_of(uint32_t m) const;
  // The locks a function takes in its own body (not those its callers hold), sorted.
  const std::vector<int32_t>& locks_taken(uint32_t m, int32_t scope) const;
  // The functions a function calls (resolved call sites), as (module, scope).
  const std::vector<std::pair<uint32_t, int32_t>>& callees(uint32_t m, int32_t scope) const {
    return callees_[m][static_cast<size_t>(scope)];
  }
  bool module_starts_threads(uint32_t m) const { return module_starts_threads_[m]; }
  // The functions a call of `callee` (a place of module m) made in `scope` reaches.
  std::vector<std::pair<uint32_t, int32_t>> resolve_call(uint32_t m, int32_t scope, PlaceId callee) const;
  const std::string& qualname_of(AccessRef r) const;

 private:
  std::vector<ModuleFacts> modules_;
  LinkOptions options_;
  std::vector<ClassInfo> classes_;
  std::vector<Location> locations_;
  std::unordered_map<std::string, int32_t> location_ids_;
  std::vector<std::vector<int32_t>> access_location_;
  std::vector<std::vector<AccessRef>> by_location_;
  std::vector<std::vector<ScopeInfo>> scope_info_;
  std::vector<std::vector<std::vector<std::pair<uint32_t, int32_t>>>> callees_;  // per module, per scope
  std::vector<std::vector<int32_t>> locksets_;              // interned sets of lock locations; [0] is empty
  std::unordered_map<std::string, uint32_t> lockset_ids_;
  std::vector<std::vector<uint32_t>> access_locks_;        // per module, per access: into locksets_
  std::vector<std::vector<uint32_t>> call_locks_;          // per module, per call: into locksets_
  std::vector<std::unordered_map<int32_t, std::vector<int32_t>>> locks_taken_;  // per module: scope -> locks
  std::unordered_map<std::string, uint32_t> module_ids_;           // dotted name -> module
  std::vector<std::unordered_map<std::string, int32_t>> module_classes_;  // per module: qualname -> class
  std::vector<std::unordered_map<std::string, int32_t>> module_functions_;  // per module: qualname -> scope
  std::vector<std::unordered_map<std::string, const Import*>> module_imports_;
  std::vector<std::vector<std::string>> star_imports_;   // per module: the modules of `from m import *`
  std::vector<std::unordered_map<std::string, uint8_t>> module_view_helpers_;  // per module: ViewHelper name -> param
  std::vector<std::unordered_map<std::string, int32_t>> module_singletons_;  // global name -> class
  struct MadeByHolder {
    uint32_t module;
    int32_t scope;
    int32_t type;
  };
  std::vector<MadeByHolder> made_by_holders_;  // `self.x = C()` in a method: C is referenced if that runs at set-up
  std::vector<std::unordered_map<std::string, int32_t>> module_class_aliases_;  // `Directory = files.Directory`
  // Per module: constructor scope -> unannotated parameter -> class its callers pass (-2: they disagree).
  std::vector<std::unordered_map<int32_t, std::unordered_map<std::string, int32_t>>> inferred_param_types_;
  std::unordered_set<std::string> lock_attr_names_;       // attributes assigned a lock anywhere (for unknown receivers)
  std::unordered_set<std::string> lock_globals_;          // "module.NAME" assigned a lock
  std::unordered_set<std::string> tls_attr_names_;        // attributes assigned threading.local()
  std::unordered_set<std::string> tls_globals_;           // "module.NAME" assigned threading.local()
  std::vector<bool> module_has_lock_, module_starts_threads_;
  std::vector<GuardedBy> guards_;         // per location
  std::vector<SoleWriter> sole_writers_;  // per location

  void index_modules();
  void index_classes();
  void resolve_bases();
  void collect_definitions();
  void collect_class_aliases();
  void build_call_graph();
  void resolve_accesses();
  void resolve_locks();
  void index_accesses_by_location();
  void compute_sharing();
  std::vector<int32_t> classes_in_annotation(uint32_t m, const std::string& annotation) const;
  void note_holder(int32_t held, int32_t holder);
  // The project class of a parameter: its annotation (`fs: Filesystem`), or
  // else what the constructor calls passing their own instance agree on
  // (param_types.cpp); -1 when neither says.
  int32_t annotated_param_class(uint32_t m, int32_t scope, const std::string& name) const;
  void infer_param_types();
  void infer_param_types_from_attributes();
  bool forwards_attributes(int32_t cls) const;
  bool derives_from(int32_t cls, int32_t base) const;
  bool note_param_type(int32_t& known, int32_t passed, bool fresh) const;  // true when it changed
  int32_t inferred_param_class(uint32_t m, int32_t scope, const std::string& name) const;
  std::pair<uint32_t, int32_t> constructor_of(int32_t cls) const;
  void note_published_instances();
  void compute_reach_from_shared();
  void compute_thread_reach();
  void compute_lifecycle();
  std::vector<std::pair<uint32_t, int32_t>> setters_called_by(uint32_t m, const Access& a,
                                                              const std::unordered_set<std::string>& setters) const;
  std::vector<std::vector<std::vector<std::pair<uint32_t, int32_t>>>> callers_of_scopes() const;
  void compute_loop_confinement();
  void mark_named_elsewhere();
  int32_t own_thread_class(const ScopeInfo& info) const;
  std::set<std::pair<uint32_t, int32_t>> loop_bodies() const;
  void compute_guards_and_owners();

  int32_t resolve_class_name(uint32_t m, const std::string& dotted) const;
  bool is_test_setup(uint32_t m, const Scope& sc) const;
  // A method gated to the state its object starts in, run before its threads start (state_gates.cpp).
  bool is_state_gated_setup(uint32_t m, int32_t s) const;
  std::vector<int32_t> class_family(int32_t cls) const;
  void add_overrides(int32_t cls, const std::string& name, std::vector<std::pair<uint32_t, int32_t>>& out) const;
  int32_t class_in_module(uint32_t mod, const std::string& name) const;
  void function_in_module(uint32_t mod, const std::string& name, std::vector<std::pair<uint32_t, int32_t>>& out) const;
  int32_t resolve_module_alias(uint32_t m, const std::string& name) const;
  int32_t class_from_annotation(uint32_t m, std::string annotation) const;
  int32_t attr_type(int32_t cls, const std::string& attr) const;
  std::string property_target(int32_t cls, const std::string& attr, bool* per_thread = nullptr) const;
  int32_t attr_owner(int32_t cls, const std::string& attr) const;
  int32_t class_attr_holder(int32_t cls, const std::string& attr) const;
  bool attr_is_thread_local(int32_t cls, const std::string& attr) const;
  const Place& place_of(uint32_t m, PlaceId id) const { return modules_[m].places[id]; }
  std::string global_key(uint32_t m, const std::string& name) const;
  int32_t resolve_access(uint32_t m, const Access& a);
  int32_t resolve_place(uint32_t m, int32_t scope, PlaceId id, AccessKind kind, Op op, const std::string& text);
  // A place being resolved: where it is seen from and how it is touched.
  struct PlaceQuery {
    uint32_t module;
    int32_t scope;
    const Place& place;
    AccessKind kind;
    Op op;
    const std::string& text;
    std::vector<std::string> parts;  // the place's path, split at dots
  };
  static constexpr int32_t kNotImported = -2;
  int32_t from_instance(const PlaceQuery& q, int32_t cls, size_t from);
  int32_t resolve_global(const PlaceQuery& q);
  int32_t resolve_class_path(const PlaceQuery& q, int32_t cls);
  int32_t resolve_imported(const PlaceQuery& q, const Import& imp);
  int32_t resolve_returned(const PlaceQuery& q);
  int32_t intern_location(LocationKind k, int32_t owner, const std::string& name, const std::string& display);
  int32_t lock_location(uint32_t m, int32_t scope, PlaceId lock);
  bool is_lock(uint32_t m, int32_t scope, const Place& lock, int32_t location) const;
  uint32_t intern_lockset(uint32_t m, int32_t scope, uint32_t lockset);
  bool is_lock_factory(uint32_t m, const std::string& callee) const;
  bool is_tls_factory(uint32_t m, const std::string& callee) const;
  int32_t find_module(const std::string& dotted) const;
  // What `find` gives for `name` in module `mod`, or, when `mod` does not
  // have it, in the module `mod` imports it from (`from .metrics import
  // Metrics` in a package's __init__) or star-imports, following such
  // re-exports at most kMaxReexportHops deep; -1 when none has it.
  using ExportLookup = std::function<int32_t(uint32_t, const std::string&)>;
  static constexpr int kMaxReexportHops = 6;
  int32_t exported(uint32_t mod, const std::string& name, const ExportLookup& find) const;
  // The positional argument whose live view a call of `callee` returns
  // (the callee's ViewHelper summary), or -1.
  int view_argument(uint32_t m, int32_t scope, PlaceId callee) const;
  // Iterations through a project function (HelperIteration) whose callee
  // returns no view of that argument are no iterations: their location is -1.
  void drop_helper_iterations();
  std::string qualified_callee(uint32_t m, const std::string& callee, bool& project_class) const;
};

}  // namespace raceaudit
