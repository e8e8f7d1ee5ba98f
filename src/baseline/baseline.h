// A baseline: the findings a project has accepted, by fingerprint, so that CI
// fails only on new ones. Stored as JSON (docs/report-formats.md#baseline):
//   {"raceaudit_baseline": 1, "findings": [{"fingerprint": ..., "code": ...,
//    "filename": ..., "scope": ..., "target": ..., "message": ...}, ...]}
// Everything but the fingerprint is there for the humans who review it.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "rules/finding.h"

namespace raceaudit {

struct BaselineEntry {
  std::string fingerprint;
  std::string code;
  std::string filename;
  std::string scope;
  std::string target;
  std::string message;
};

struct Baseline {
  std::vector<BaselineEntry> entries;
};

// Reads a baseline file. On failure returns false and sets `error` to one
// line naming the file and what is wrong.
bool read_baseline(const std::string& path, Baseline& out, std::string& error);

// The baseline for `findings`, sorted so that rewriting it gives small diffs.
// Filenames are relative to `project_root` (the working directory when "").
Baseline make_baseline(const std::vector<Finding>& findings, const std::string& project_root = "");
std::string baseline_json(const Baseline& b);
bool write_baseline(const std::string& path, const Baseline& b, std::string& error);

struct BaselineMatch {
  size_t matched = 0;                // findings removed because the baseline lists them
  std::vector<BaselineEntry> stale;  // entries that matched no finding
};

// Removes from `findings` those whose fingerprint the baseline lists (each
// entry matches at most one finding). Entries that match nothing are
// returned as stale when `in_scope(entry)` holds: an entry for a rule that
// this run did not select is not stale, just not checked.
BaselineMatch apply_baseline(const Baseline& b, std::vector<Finding>& findings,
                             const std::function<bool(const BaselineEntry&)>& in_scope);

}  // namespace raceaudit
