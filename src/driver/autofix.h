// `scan --fix` / `--diff`: which fixes of a scan's findings can be applied,
// worked out without writing anything. Per file, the chosen fixes are
// applied in one pass (overlaps: the first by position wins); then the new
// texts are re-parsed and the project re-scanned with them. A fix after
// which the file does not parse, or its finding is still reported, is left
// out with a note, and the rest are checked again.
#pragma once

#include <string>
#include <vector>

#include "scan/scan.h"

namespace raceaudit {

struct FixedFile {
  std::string path;
  std::string before;          // the decoded text that was scanned
  std::string after;           // with the fixes applied
  std::string bom;             // written back before `after` when the file had one
  std::vector<Finding> fixed;  // the findings whose fixes `after` holds, as reported before
};

struct AutofixResult {
  std::vector<FixedFile> files;    // changed files, in path order
  ScanResult rescan;               // the scan of the fixed texts: what remains
  size_t overlapping = 0;          // fixes left out because an earlier one edits the same text
  size_t unsafe_not_applied = 0;   // unsafe fixes not applied (no --unsafe-fixes)
  std::vector<std::string> notes;  // one line each: fixes left out and why, files not fixed
  size_t fixed_count() const;
};

// `o` and `scanned` are the scan whose findings are to be fixed; the
// re-scans use `o` with the new texts.
AutofixResult plan_fixes(const ScanOptions& o, const ScanResult& scanned, bool unsafe);

}  // namespace raceaudit
