// Linking: per location, the lock that guards most of its run-time accesses
// (guarded-by inference) and the one thread that makes all its writes, if
// any (single-thread ownership). One pass over each location's accesses.
#include <map>

#include "link/project.h"

namespace raceaudit {
namespace {

bool is_write(const Access& a) {
  return a.kind == AccessKind::Write || a.kind == AccessKind::ReadModifyWrite || a.kind == AccessKind::Mutate;
}

// `self._in = {...}`: a fresh container replaces the old one; the old one's
// elements are not written.
bool rebinds_to_fresh_container(const Access& a) {
  return a.kind == AccessKind::Write && (a.container != Container::Unknown || a.value == ValueKind::EmptyContainer);
}

}  // namespace

bool Project::runs_on_one_thread(AccessRef r) const {
  const ScopeInfo& si = scope_info(r.module, access(r).scope);
  if (!si.thread_reached || si.api_reached_besides_drivers || si.thread_root < 0) return false;
  return !scope_info(si.thread_root_module, si.thread_root).many_threads;
}

// Instance state only: a global or class attribute is shared by the threads
// of every instance, each started from the same target.
bool Project::on_one_thread_together(AccessRef a, AccessRef b) const {
  const int32_t loc = location_of(a);
  if (loc < 0 || locations_[static_cast<size_t>(loc)].kind != LocationKind::Instance) return false;
  if (!runs_on_one_thread(a) || !runs_on_one_thread(b)) return false;
  const ScopeInfo& x = scope_info(a.module, access(a).scope);
  const ScopeInfo& y = scope_info(b.module, access(b).scope);
  return x.thread_root == y.thread_root && x.thread_root_module == y.thread_root_module;
}

void Project::compute_guards_and_owners() {
  guards_.assign(locations_.size(), {});
  sole_writers_.assign(locations_.size(), {});
  for (size_t loc = 0; loc < locations_.size(); ++loc) {
    GuardedBy& g = guards_[loc];
    std::map<int32_t, uint32_t> held;  // ordered: ties go to the lowest lock id, for stable output
    SoleWriter w;
    bool owned = locations_[loc].kind == LocationKind::Instance;
    for (const AccessRef& r : by_location_[loc]) {
      if (in_private_phase(r)) continue;
      ++g.sites;
      for (int32_t lock : locks_at(r)) ++held[lock];
      if (!is_write(access(r))) continue;
      if (!scope_info(r.module, access(r).scope).loop_confined) w.on_loop = false;
      if (!owned) continue;
      if (!runs_on_one_thread(r) && rebinds_to_fresh_container(access(r))) {
        w.rebound_elsewhere = true;
        continue;
      }
      // One thread per object: the thread's own attributes, not another object's.
      const ScopeInfo& si = scope_info(r.module, access(r).scope);
      owned = runs_on_one_thread(r) && is_own_attribute_place(place(r)) &&
              (w.thread < 0 || (si.thread_root == w.thread && si.thread_root_module == w.module));
      w.module = si.thread_root_module;
      w.thread = si.thread_root;
    }
    // One loop per object: another object's state, or a global, may be
    // written from loops on several threads.
    if (locations_[loc].kind != LocationKind::Instance) w.on_loop = false;
    if (!owned) w = SoleWriter{0, -1, false, w.on_loop};
    sole_writers_[loc] = w;
    for (auto [lock, n] : held)
      if (n > g.guarded) {
        g.lock = lock;
        g.guarded = n;
      }
  }
}

}  // namespace raceaudit
