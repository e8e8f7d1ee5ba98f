// Small helpers shared by the rules.
#pragma once

#include <algorithm>

#include "link/project.h"
#include "models/container_ops.h"

namespace raceaudit {

template <class F>
void for_each_access(const Project& p, F&& f) {
  for (uint32_t m = 0; m < p.modules().size(); ++m) {
    const auto& accesses = p.module(m).accesses;
    for (uint32_t i = 0; i < accesses.size(); ++i) f(AccessRef{m, i}, accesses[i]);
  }
}

inline bool is_own_attribute(const Place& p) { return is_own_attribute_place(p); }
inline bool in_private_phase(const Project& p, AccessRef r) { return p.in_private_phase(r); }

inline std::string site(const Project& p, AccessRef r) {
  const Access& a = p.access(r);
  return p.module(r.module).path + ":" + std::to_string(a.span.line);
}

}  // namespace raceaudit


namespace raceaudit {

// Is the act also guarded by a check that holds a lock in common with it?
// (`if x is None: with lock: if x is None: x = make()` is safe.)
// ModuleFacts::guarded is in act order (lowering appends a pair when it emits the act).
inline std::pair<const GuardedAct*, const GuardedAct*> guards_of(const Project& p, uint32_t module, uint32_t act) {
  const auto& g = p.module(module).guarded;
  auto lo = std::lower_bound(g.begin(), g.end(), act, [](const GuardedAct& x, uint32_t a) { return x.act < a; });
  auto hi = std::upper_bound(lo, g.end(), act, [](uint32_t a, const GuardedAct& x) { return a < x.act; });
  return {g.data() + (lo - g.begin()), g.data() + (hi - g.begin())};
}

inline bool rechecked_under_lock(const Project& p, uint32_t module, uint32_t act) {
  auto [b, e] = guards_of(p, module, act);
  for (auto* g = b; g != e; ++g)
    if (p.in_one_critical_section({module, g->check}, {module, act})) return true;
  return false;
}

}  // namespace raceaudit

namespace raceaudit {

// Does the write store a parameter of its own function (`_backend = backend`)?
inline bool stores_callers_value(const Project& p, AccessRef act) {
  const Access& a = p.access(act);
  if (a.value != ValueKind::Name) return false;
  const ModuleFacts& mf = p.module(act.module);
  const std::string& name = mf.value_text(a);
  const auto& params = mf.scopes[static_cast<size_t>(a.scope)].params;
  return std::any_of(params.begin(), params.end(), [&](const Param& q) { return q.name == name; });
}

// `if X is None: X = make()` / `if not X: X = make()`: a write of X guarded by
// a None or falsy test of X itself. RA005 reports it; racing initialisers
// usually compute the same value, so without thread intent it is low. Not
// when the value is a caller's argument (`if _provider is not None: return`;
// `_provider = provider`): racing callers store different values, and the
// one whose value is lost was told it was set.
inline bool is_lazy_init(const Project& p, AccessRef act) {
  const Access& a = p.access(act);
  if (a.kind != AccessKind::Write || a.value == ValueKind::None) return false;
  if (stores_callers_value(p, act)) return false;
  auto [b, e] = guards_of(p, act.module, act.access);
  for (auto* g = b; g != e; ++g)
    if (const CheckKind c = p.module(act.module).accesses[g->check].check; c == CheckKind::IsNone || c == CheckKind::Truth)
      return true;
  return false;
}

}  // namespace raceaudit
