// Single-thread ownership (Project::sole_writer): a location whose every
// run-time write is made by code only one thread runs. That thread may
// read-modify-write it or check and act on it freely; other threads can only
// read it (a stale read, not a lost update), unless they iterate it or use
// what it holds.
#pragma once

#include "link/project.h"

namespace raceaudit {

// `d[k] = v`, `d[k] += 1`, `if d[k]`: works on an element of the container
// the place holds at that moment, not on the place itself.
inline bool works_on_an_element(const Access& a) {
  return a.op == Op::SetItem || a.op == Op::ItemAugAssign || (a.kind == AccessKind::Check && a.check == CheckKind::Item);
}

// The access runs on its location's sole writer thread. When other threads
// replace the container with a fresh one, only element accesses are owned: a
// pop after a check can still find the new, empty container.
inline bool on_owner_thread(const Project& p, AccessRef r) {
  const int32_t loc = p.location_of(r);
  if (loc < 0 || !p.runs_on_one_thread(r)) return false;
  const SoleWriter& w = p.sole_writer(loc);
  if (w.rebound_elsewhere && !works_on_an_element(p.access(r))) return false;
  const ScopeInfo& si = p.scope_info(r.module, p.access(r).scope);
  return w.thread >= 0 && si.thread_root == w.thread && si.thread_root_module == w.module;
}

// The access runs on an event loop, and so does every run-time write of its
// location: one thread does all of it.
inline bool on_event_loop(const Project& p, AccessRef r) {
  const int32_t loc = p.location_of(r);
  return loc >= 0 && p.scope_info(r.module, p.access(r).scope).loop_confined && p.sole_writer(loc).on_loop;
}

}  // namespace raceaudit
