// Character columns and fingerprints for findings, computed from the source
// text once the findings are known (only files with findings are re-read).
#pragma once

#include <vector>

#include "rules/finding.h"

namespace raceaudit {

// Converts byte columns to character columns and fills Finding::fingerprint:
// a hash of the code, file, enclosing scope, target, the statement's text
// (whitespace folded) and its occurrence among identical ones in the scope,
// so that it survives line shifts but tells apart identical statements in
// different functions.
void finish_findings(std::vector<Finding>& findings);

}  // namespace raceaudit
