// RA003's fix: iterate over a snapshot. `for k in d:` -> `for k in list(d):`,
// `d.items()` -> `list(d.items())`, the same in comprehensions.
#include "fix/fix_makers.h"

namespace raceaudit {
namespace {

// Does the iterating function itself change the container? Then the loop
// saw those changes (a work list that grows as it is walked) and a snapshot
// would not: the fix changes behaviour.
bool mutated_by_same_function(const Project& p, AccessRef it, int32_t location) {
  const Access& ia = p.access(it);
  for (const AccessRef& r : p.accesses_of(location)) {
    const Access& a = p.access(r);
    if (r.module == it.module && a.scope == ia.scope &&
        (a.kind == AccessKind::Mutate || a.kind == AccessKind::Write || a.kind == AccessKind::ReadModifyWrite))
      return true;
  }
  return false;
}

}  // namespace

std::optional<Fix> ra003_fix(const Project& p, AccessRef iteration) {
  const Access& a = p.access(iteration);
  const int32_t loc = p.location_of(iteration);
  if (a.kind != AccessKind::Iterate || loc < 0 || a.span.line == 0) return std::nullopt;
  // `async for`: list() cannot take an asynchronous iterable.
  if (p.module(iteration.module).scopes[static_cast<size_t>(a.scope)].is_async) return std::nullopt;
  Fix f;
  f.message = "Iterate over a snapshot taken with `list()`";
  if (mutated_by_same_function(p, iteration, loc)) {
    f.applicability = Applicability::Unsafe;
    f.message += " (the loop no longer sees what this function adds or removes while it runs)";
  }
  f.edits.push_back({Span{a.span.line, a.span.col, a.span.line, a.span.col}, "list("});
  f.edits.push_back({Span{a.span.end_line, a.span.end_col, a.span.end_line, a.span.end_col}, ")"});
  return f;
}

}  // namespace raceaudit
