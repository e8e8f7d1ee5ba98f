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

// RA001, RA008 (unsafe): `with <lock>:` around the statement of `at`, the
// lock being the one most of `guarded` (other accesses of the location)
// hold, named as the statement's function can (`self._lock`, `LOCK`).
std::optional<Fix> lock_fix(const Project& p, AccessRef at, const std::vector<AccessRef>& guarded);

}  // namespace raceaudit
