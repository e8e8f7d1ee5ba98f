// Which statements a lock fix holds its lock around: the statement lists of
// the facts (ModuleFacts::blocks) say which statements are siblings and how
// far a compound statement reaches.
#pragma once

#include <algorithm>
#include <optional>

#include "link/project.h"

namespace raceaudit {

// The statement of `r`, whole: a simple statement, or the compound statement
// whose header it is in (`if self.q:` through the end of its last clause).
Span statement_region(const Project& p, AccessRef r);

// The statements of one list from the one holding `first` through the one
// holding `last` (both of one function, `first` before `last`): for a check
// in an `if` and an act in its body, the whole `if`; for `append` and a later
// `len`, the two statements and those between. Nullopt when no one list
// holds both (the act is in a nested function, or the check is in a body the
// act comes after).
std::optional<Span> wrap_region(const Project& p, AccessRef first, AccessRef last);

// Does `outer` contain `inner`?
bool contains(const Span& outer, const Span& inner);

// Calls `f(call)` for each call of `scope` in `region` (whole lines), not
// counting functions passed as arguments (Call::passed). Lowering
// emits calls statement by statement, so those of the region's lines are
// next to each other in ModuleFacts::calls: found by binary search.
template <typename F>
void for_each_call_in(const ModuleFacts& m, int32_t scope, const Span& region, F&& f) {
  auto c = std::partition_point(m.calls.begin(), m.calls.end(),
                                [&](const Call& x) { return x.span.line < region.line; });
  for (; c != m.calls.end() && c->span.line <= region.end_line; ++c)
    if (c->scope == scope && !c->passed && contains(region, c->span)) f(*c);
}

}  // namespace raceaudit
