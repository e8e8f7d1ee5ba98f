// Helpers shared by the report writers: source lines, rule pages, counts and
// the summary sentence. Internal to src/report.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "report/report.h"
#include "rules/rule.h"
#include "util/source_text.h"

namespace raceaudit::report {

// Lines of the scanned files, read once per file (only files with findings).
class SourceLines {
 public:
  // Line `n` (1-based) of `path` without its line ending; "" when unreadable.
  std::string_view line(const std::string& path, unsigned n);

 private:
  struct Text {
    std::string text;
    std::optional<LineIndex> lines;  // over `text`, which stays put in its map node
  };
  std::unordered_map<std::string, Text> texts_;
};

struct ConfidenceCounts {
  size_t high = 0, medium = 0, low = 0;
  void add(Confidence c) { ++(c == Confidence::High ? high : c == Confidence::Medium ? medium : low); }
  size_t total() const { return high + medium + low; }
};

ConfidenceCounts count_confidence(const ScanResult& r);

// "1 file", "2 files".
std::string plural(size_t n, std::string_view singular, std::string_view plural_form);

// "Found 3 hazards (2 high, 1 medium, 0 low) in 5 files; 1 suppressed; 2 in
// the baseline." (no trailing newline).
std::string summary_sentence(const ScanResult& r, const ReportOptions& o);

// The rule with this code, or nullptr.
const RuleInfo* rule_info(std::string_view code);

// The paragraphs under `## <heading>` of a rule page, up to the next heading,
// without surrounding blank lines; "" when the page has no such section.
std::string doc_section(std::string_view page, std::string_view heading);

// A markdown page as plain text (SARIF help.text): code fences dropped and
// their lines indented by four spaces, heading marks, `**` and backticks
// dropped, [text](url) written "text (url)".
std::string markdown_to_text(std::string_view markdown);

}  // namespace raceaudit::report
