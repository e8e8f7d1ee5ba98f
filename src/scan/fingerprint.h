// Character columns and fingerprints for findings, computed from the source
// text once the findings are known (only files with findings are re-read).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "rules/finding.h"

namespace raceaudit {

// Converts byte columns (of the finding, its related site and its fix's
// edits) to character columns and fills Finding::fingerprint and
// Finding::occurrence. A fix that would delete a comment, or whose statement
// does not stand alone on its lines (Fix::alone), is dropped.
//
// The fingerprint (16 hex digits, scheme "raceaudit/v1") hashes the code, the
// file (relative to `project_root`, else to the working directory, when it is
// below it), the enclosing
// scope, the target, the text of the flagged lines with whitespace folded and
// any trailing comment dropped, and the finding's occurrence among identical
// ones in that scope. It does not hash line numbers, so it survives edits
// above the finding, and it tells apart identical statements in different
// functions. `findings` must be in report order.
// The decoded text of a file named in `given` (read from stdin, or edited by
// autofix and not yet written) is taken from there.
void finish_findings(std::vector<Finding>& findings, const std::string& project_root = "",
                     const std::map<std::string, std::string>& given = {});

// The statement text that goes into a fingerprint: whitespace runs folded to
// one space, the ends trimmed, a `#` comment (outside string literals) dropped.
std::string fingerprint_text(std::string_view lines);

}  // namespace raceaudit
