// Which statements a lock fix holds its lock around: the statement lists of
// the facts (ModuleFacts::blocks) say which statements are siblings and how
// far a compound statement reaches.
#pragma once

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

}  // namespace raceaudit
