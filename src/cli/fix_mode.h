// The modes of `raceaudit scan` that edit files (docs/fixes.md): --fix (with
// --unsafe-fixes, --show-fixes), --diff and --add-suppressions.
#pragma once

#include <cstddef>

#include "scan/scan.h"

namespace raceaudit::cli {

struct FixArgs {
  bool fix = false;
  bool unsafe_fixes = false;
  bool diff = false;
  bool show_fixes = false;
  bool exit_non_zero_on_fix = false;
  bool add_suppressions = false;
  bool quiet = false;
};

// --fix: applies the fixes of `r`'s findings, writes the changed files and
// puts the scan of the result into `r` (what remains to report). `fixed` is
// the number of findings fixed. False after an I/O error (printed).
bool fix_files(const ScanOptions& o, ScanResult& r, const FixArgs& a, size_t& fixed);

// --fix on `scan -`: prints the fixed text on stdout (the report is not
// printed). Returns the exit code.
int fix_stdin(const ScanOptions& o, const ScanResult& r, const FixArgs& a);

// --diff: prints what --fix would change as a unified diff and changes
// nothing. Exit code 1 when there is a diff, else 0.
int print_fix_diff(const ScanOptions& o, const ScanResult& r, const FixArgs& a);

// --add-suppressions: a suppression comment for every finding of `r`, then a
// re-scan to check that none is reported any more. Returns the exit code.
int add_suppression_comments(const ScanOptions& o, const ScanResult& r, const FixArgs& a);

}  // namespace raceaudit::cli
