// Partial scans: when the paths named are only part of the project (a
// pre-commit file hook, an editor), the rest of the project is lowered and
// linked too, so that a finding in a named file is the one a whole-project scan
// reports; only the named files are reported.
#pragma once

#include "discover/discover.h"

namespace raceaudit {

struct ScanOptions;

// Adds the project's other files to `found` (marked `context`) when
// `o.link_project` and the named paths do not cover `o.project_root`; keeps
// `found.files` sorted by path. Returns whether it did (a partial scan).
bool add_project_context(DiscoverResult& found, const ScanOptions& o);

}  // namespace raceaudit
