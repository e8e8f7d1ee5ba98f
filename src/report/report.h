// Report writers: one per format, all over the same sorted ScanResult.
#pragma once

#include <ostream>
#include <string>

#include "scan/scan.h"

namespace raceaudit {

enum class Format : uint8_t { Text, Json, Sarif, Github, Markdown };

// "text", "json", "sarif", "github", "markdown".
bool parse_format(const std::string& name, Format& out);

struct ReportOptions {
  bool show_source = false;    // text: the offending line, a caret, the related site
  bool color = false;          // text and statistics: ANSI colours
  bool quiet = false;          // text: no summary line
  std::string tool_version;    // sarif: tool.driver.version
  std::string project_root;    // sarif: artifact URIs are relative to it (absolute; "": the working directory)
  size_t baselined = 0;        // findings left out because the baseline lists them
  size_t stale_baseline = 0;   // baseline entries that matched no finding
};

// Dispatches to the writer of `format`.
void write_report(Format format, std::ostream& out, const ScanResult& r, const ReportOptions& o);

// `path:line:col: CODE message [confidence]`, then a summary line (ruff style).
void write_text(std::ostream& out, const ScanResult& r, const ReportOptions& o);
// A JSON array of findings with ruff's field names plus raceaudit's own
// (docs/report-formats.md, docs/report.schema.json).
void write_json(std::ostream& out, const ScanResult& r, const ReportOptions& o);
// SARIF 2.1.0, one run, as GitHub code scanning accepts it.
void write_sarif(std::ostream& out, const ScanResult& r, const ReportOptions& o);
// GitHub Actions workflow commands (`::error file=...::message`), one per finding.
void write_github(std::ostream& out, const ScanResult& r, const ReportOptions& o);
// An audit report to paste into an issue: inventory table, then sites by shape.
void write_markdown(std::ostream& out, const ScanResult& r, const ReportOptions& o);

// `--statistics`: counts per rule and confidence, as a table or (json) an array.
void write_statistics(std::ostream& out, const ScanResult& r, const ReportOptions& o, bool as_json);

}  // namespace raceaudit
