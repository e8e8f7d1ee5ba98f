// Confidence of a finding at an access: how sure it is that the place is
// shared between threads (docs/analysis-model.md).
#include "analysis/confidence.h"

namespace raceaudit {

Confidence confidence_at(const Project& p, AccessRef r) {
  const Access& a = p.access(r);
  const ScopeInfo& si = p.scope_info(r.module, a.scope);
  const int32_t loc = p.location_of(r);
  // Holding a lock or running as a thread says "meant for threads"; starting
  // threads only says the class hands work to others (medium, below).
  auto class_intent = [&](int32_t cls) {
    if (cls < 0) return false;
    const ClassInfo& c = p.classes()[static_cast<size_t>(cls)];
    return c.has_lock || c.thread_target || c.declared_shared;
  };
  auto starts_threads = [&](int32_t cls) { return cls >= 0 && p.classes()[static_cast<size_t>(cls)].starts_threads; };
  const bool module_intent = p.module_has_lock(r.module);
  // Coroutines interleave only at awaits, on one event-loop thread.
  if (p.module(r.module).scopes[static_cast<size_t>(a.scope)].is_async) return Confidence::Low;
  if (si.thread_target || class_intent(si.class_id)) return Confidence::High;
  if (loc < 0) return Confidence::Low;
  const Location& l = p.locations()[static_cast<size_t>(loc)];
  switch (l.kind) {
    case LocationKind::Global:
    case LocationKind::Path:
      return module_intent ? Confidence::High : Confidence::Medium;
    case LocationKind::ClassAttr:
      return class_intent(l.owner) || module_intent ? Confidence::High : Confidence::Medium;
    case LocationKind::Instance: {
      if (class_intent(l.owner)) return Confidence::High;
      if (starts_threads(l.owner) || starts_threads(si.class_id)) return Confidence::Medium;
      const ClassInfo& owner = p.classes()[static_cast<size_t>(l.owner)];
      if (owner.referenced) return Confidence::Medium;
      const Root root = p.place(r).root;
      if (root != Root::Self && root != Root::Element) return Confidence::Medium;  // reached through another object
      return Confidence::Low;
    }
    case LocationKind::Unresolved:
      if (const Place& pl = p.place(r); pl.root == Root::Returned) {
        // Handed out by a method of a shared object (`entry = self.get_entry(name)`).
        for (auto [fm, fs] : p.resolve_call(r.module, a.scope, pl.base)) {
          const int32_t owner = p.scope_info(fm, fs).class_id;
          if (owner >= 0 && (p.classes()[static_cast<size_t>(owner)].referenced || class_intent(owner)))
            return Confidence::Medium;
        }
      }
      return Confidence::Low;  // a receiver of unknown type: no sign that it is shared
  }
  return Confidence::Low;
}

}  // namespace raceaudit
