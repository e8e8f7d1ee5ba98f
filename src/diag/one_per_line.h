// One finding per rule and line: a line that holds several sites of one
// shape (`a, b = q.pop(), q.pop()`) is one thing to fix and one report.
#pragma once

#include <vector>

#include "rules/finding.h"

namespace raceaudit {

// Keeps, for each (file, line, code), the finding of highest confidence, then
// the leftmost. The order of the rest is kept.
void keep_one_finding_per_line(std::vector<Finding>& findings);

}  // namespace raceaudit
