// Small helpers shared by the rules.
#pragma once

#include "link/project.h"

namespace raceaudit {

template <class F>
void for_each_access(const Project& p, F&& f) {
  for (uint32_t m = 0; m < p.modules().size(); ++m) {
    const auto& accesses = p.module(m).accesses;
    for (uint32_t i = 0; i < accesses.size(); ++i) f(AccessRef{m, i}, accesses[i]);
  }
}

// `self.x` (one attribute on the instance a method runs on): private to its
// creator while __init__ runs.
inline bool is_own_attribute(const Access& a) {
  return a.root == Root::Self && !a.path.empty() && a.path.find('.') == std::string::npos;
}

inline std::string site(const Project& p, AccessRef r) {
  const Access& a = p.access(r);
  return p.module(r.module).path + ":" + std::to_string(a.span.line);
}

}  // namespace raceaudit
