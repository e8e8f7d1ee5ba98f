// Set-up gated by state: a method that refuses to run unless its object is
// still in the state `__init__` leaves it in, a state that only the method
// starting the object's threads moves on, runs before those threads exist,
// like `__init__` (ScopeInfo::instance_init). apscheduler's `configure()`
// raises unless `self.state == STATE_STOPPED`; `start()` sets it running, and
// a subclass's `start()` starts the scheduler thread. A file object's
// `write()` gated on `self.state != OPEN` is not set-up: `close()`, which
// moves the state on, starts no thread.
#include <algorithm>
#include <unordered_set>

#include "link/project.h"

namespace raceaudit {

namespace {

struct GateWrites {
  bool init_sets_state = false;  // __init__ stores the gate's state
  bool started_on = false;       // a method that starts threads (or its namesake) stores another
  bool by_gated = false;         // the gated method writes the attribute itself (it is `start()`)
};

}  // namespace

// The class, its bases and its subclasses, transitively.
std::vector<int32_t> Project::class_family(int32_t cls) const {
  std::vector<int32_t> family{cls};
  for (size_t i = 0; i < family.size() && family.size() < 64; ++i) {
    const ClassInfo& c = classes_[static_cast<size_t>(family[i])];
    for (const auto* list : {&c.bases, &c.subclasses})
      for (int32_t other : *list)
        if (std::find(family.begin(), family.end(), other) == family.end()) family.push_back(other);
  }
  return family;
}

bool Project::is_state_gated_setup(uint32_t m, int32_t s) const {
  const Scope& sc = modules_[m].scopes[static_cast<size_t>(s)];
  const StateGate* gate = modules_[m].gate(s);
  if (!gate || !sc.is_method) return false;
  const int32_t cls = scope_info_[m][static_cast<size_t>(s)].class_id;
  if (cls < 0) return false;
  const std::string& attr = gate->attr;
  const std::string& state = gate->state;
  const std::vector<int32_t> family = class_family(cls);
  // Methods that start threads, by name: `start()` of a subclass starts the
  // thread that its base's `start()` sets the state for.
  std::unordered_set<std::string> starters;
  for (int32_t c : family) {
    const ClassInfo& ci = classes_[static_cast<size_t>(c)];
    for (const Call& call : modules_[static_cast<size_t>(ci.module)].calls)
      if (call.thread_target && scope_info_[ci.module][static_cast<size_t>(call.scope)].class_id == c)
        starters.insert(modules_[static_cast<size_t>(ci.module)].scopes[static_cast<size_t>(call.scope)].name);
  }
  GateWrites w;
  for (int32_t c : family) {
    const ClassInfo& ci = classes_[static_cast<size_t>(c)];
    const ModuleFacts& mf = modules_[static_cast<size_t>(ci.module)];
    for (const Access& a : mf.accesses) {
      if (a.kind != AccessKind::Write || scope_info_[ci.module][static_cast<size_t>(a.scope)].class_id != c) continue;
      const Place& p = mf.places[a.place];
      if (!is_own_attribute_place(p) || p.path != attr) continue;
      const Scope& writer = mf.scopes[static_cast<size_t>(a.scope)];
      const bool stores_state = a.value == ValueKind::Name && mf.value_text(a) == state;
      if (static_cast<uint32_t>(ci.module) == m && a.scope == s) w.by_gated = true;
      else if (writer.is_init) w.init_sets_state = w.init_sets_state || stores_state;
      else if (!stores_state && starters.count(writer.name)) w.started_on = true;
    }
  }
  return w.init_sets_state && w.started_on && !w.by_gated;
}

}  // namespace raceaudit
