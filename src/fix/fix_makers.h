// The fix makers, one per rule that has mechanical repairs. Like the rules
// they read the linked facts only; each returns no fix when the site is not
// of a shape it can rewrite without guessing (docs/fixes.md).
#pragma once

#include <optional>

#include "fix/fix.h"
#include "link/project.h"

namespace raceaudit {

// RA003: iterate over a snapshot, `for k in list(d):`.
std::optional<Fix> ra003_fix(const Project& p, AccessRef iteration);

// RA005: check and act in one step: `d.setdefault(k, v)`, `d.pop(k, None)`,
// `os.makedirs(p, exist_ok=True)`, `try: os.mkdir(p)` / `except FileExistsError`.
std::optional<Fix> ra005_fix(const Project& p, AccessRef act);

// RA007 (display-only): a setter's global becomes a contextvars.ContextVar in its module.
std::optional<Fix> ra007_fix(const Project& p, AccessRef write);

// The lock fixes (unsafe): `with <lock>:` around statements, the lock chosen
// by fix/lock_setup.h from `guarded` (the accesses of the location) and
// made there when it is new.
// RA001, RA008: around the statement of `at`.
std::optional<Fix> lock_fix(const Project& p, AccessRef at, const std::vector<AccessRef>& guarded);
// RA002, RA004, RA005: around the statements from the one of `first` (the
// check, the append) through the one of `last` (the act); `what` names them.
std::optional<Fix> lock_fix_between(const Project& p, AccessRef first, AccessRef last,
                                    const std::vector<AccessRef>& guarded, const std::string& what);
// RA008: around the statement of `at` (the nulling) and those of the uses it
// races with (`racing`, with the checks that guard each in its function),
// each under one lock; when the nulling holds a lock, the uses under that.
std::optional<Fix> lock_fix_uses(const Project& p, AccessRef at, const std::vector<AccessRef>& racing,
                                 const std::vector<AccessRef>& guarded);

}  // namespace raceaudit
