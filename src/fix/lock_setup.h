// Which lock a lock fix holds, and, when it must be a new one, the edits that
// make it (docs/fixes.md, "Which lock"):
//   1. the lock most of the location's other accesses hold;
//   2. else a lock of the statement's own class (or a base), or of its module
//      for a module global;
//   3. else, when the class (with its bases) or the module has no lock at
//      all, a new `threading.RLock()`: `__lock` in the class body, one lock
//      for all its instances (an instance lock would make them unpicklable
//      and uncopyable, and fail in a subclass that does not call this
//      `__init__`; the mangled name cannot clash with a base's), `_lock` at
//      module level for globals; `import threading` added when the module
//      lacks it. Reentrant, so a function the wrapped statements call that
//      takes it too cannot deadlock.
// An existing lock is not used when the wrapped statements, or a function
// they call, take it already (a plain Lock would deadlock there).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "fix/fix.h"
#include "link/project.h"

namespace raceaudit {

struct LockPlan {
  std::string text;          // as the statement's function names it: "self._lock", "_lock"
  std::string why;           // for the message: "which guards `self.n` elsewhere", "the class's lock", ...
  std::vector<Edit> setup;   // a new lock: its creation and the import, in source order
};

// Statements a fix holds the lock around, in the function of `in`.
struct Region {
  AccessRef in;
  Span span;
};

// The lock to hold around `regions`, named as the function of `at` (an
// access of the location the finding is about) can; `guarded` are the
// accesses of that location. Nullopt when no lock can be named from there.
std::optional<LockPlan> plan_lock(const Project& p, AccessRef at, const std::vector<AccessRef>& guarded,
                                  const std::vector<Region>& regions);

}  // namespace raceaudit
