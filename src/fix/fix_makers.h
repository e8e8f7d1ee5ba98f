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

}  // namespace raceaudit
