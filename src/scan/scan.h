// The scan pipeline: discover -> parse and lower (in parallel) -> link -> rules
// -> filter -> sort. Output does not depend on the number of workers.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "discover/discover.h"
#include "facts/lower.h"
#include "link/project.h"
#include "rules/finding.h"

namespace raceaudit {

struct ScanOptions {
  std::vector<std::string> paths{"."};
  std::string project_root;   // absolute; fingerprints and baselines name files relative to it ("": the cwd)
  bool link_project = false;  // paths inside project_root: link against the whole project (project_context.h)
  std::optional<std::string> stdin_text;  // `scan -`: the bytes of the one file, named paths[0]
  // Decoded texts to scan instead of what these files (paths as discovered)
  // hold: autofix re-scans its edits before it writes them (fix/autofix.h).
  std::map<std::string, std::string> texts;
  DiscoverOptions discover;
  LowerOptions lower;
  LinkOptions link;
  std::vector<std::string> select;  // codes or prefixes ("RA00"); empty: all
  std::vector<std::string> ignore;
  std::vector<std::pair<AnchoredGlob, std::vector<std::string>>> per_file_ignores;  // glob -> codes
  Confidence min_confidence = Confidence::Medium;
  unsigned jobs = 0;                      // 0: all cores
  uint64_t max_file_bytes = 256ull << 20;  // larger files are skipped with a diagnostic
  uint64_t max_tree_bytes = 4ull << 30;    // a file whose syntax tree needs more is skipped (--max-tree-mib)
  bool report_unused_suppressions = false;
  // Called after each file is lowered, from worker threads (must be thread
  // safe): files done so far and files in all.
  std::function<void(size_t done, size_t total)> progress;
};

struct FileDiagnostic {
  std::string path;
  Span span;  // line 0 when it concerns the whole file
  std::string message;
  bool syntax_error = false;
};

struct ScanResult {
  std::vector<Finding> findings;            // sorted, filtered, suppressions applied
  std::vector<FileDiagnostic> diagnostics;  // syntax errors, unreadable files, ...
  std::vector<std::string> errors;          // fatal for the exit code: missing paths
  size_t files = 0;                         // files scanned and reported on
  bool partial = false;                     // the paths named were part of the project
  std::vector<std::string> scanned_paths;   // those files, as reported
  uint64_t bytes = 0;
  size_t suppressed = 0;
  std::vector<FileDiagnostic> unused_suppressions;
};

// Does `code` match a selector ("RA001", "RA00", "RA", "ALL")?
bool code_matches(const std::string& code, const std::string& selector);

// Does a per-file-ignores entry turn `code` off for `path`?
bool ignored_for_file(const std::string& path, const std::string& code, const ScanOptions& o);

ScanResult run_scan(const ScanOptions& options);

// Parses and lowers one file's text (used by the scan, tests, benchmarks and
// the fuzzer). A file whose tree would exceed `max_tree_bytes`, or whose parse
// runs out of memory, gets a diagnostic and no facts. Without `echo_source`
// (files outside the scanned paths) diagnostics quote none of the text.
ModuleFacts lower_text(std::string_view text, const std::string& path, const std::string& module_name,
                       const LowerOptions& options, uint64_t max_tree_bytes = UINT64_MAX, bool echo_source = true);

}  // namespace raceaudit
