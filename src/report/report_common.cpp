#include "report/report_common.h"

#include <algorithm>

namespace raceaudit::report {

std::string_view SourceLines::line(const std::string& path, unsigned n) {
  auto [it, fresh] = texts_.try_emplace(path);
  Text& t = it->second;
  if (fresh) {
    std::string bytes, error;
    if (read_file(path, bytes, error)) t.text = decode_source(std::move(bytes)).text;
    t.lines.emplace(t.text);
  }
  return t.lines->line(n);
}

ConfidenceCounts count_confidence(const ScanResult& r) {
  ConfidenceCounts c;
  for (const Finding& f : r.findings) c.add(f.confidence);
  return c;
}

std::string plural(size_t n, std::string_view singular, std::string_view plural_form) {
  return std::to_string(n) + ' ' + std::string(n == 1 ? singular : plural_form);
}

std::string summary_sentence(const ScanResult& r, const ReportOptions& o) {
  std::string s;
  const ConfidenceCounts c = count_confidence(r);
  if (r.findings.empty()) {
    s = "No hazards found in " + plural(r.files, "file", "files");
  } else {
    s = "Found " + plural(r.findings.size(), "hazard", "hazards") + " (" + std::to_string(c.high) + " high, " +
        std::to_string(c.medium) + " medium, " + std::to_string(c.low) + " low) in " +
        plural(r.files, "file", "files");
  }
  if (r.suppressed) s += "; " + std::to_string(r.suppressed) + " suppressed";
  if (o.baselined) s += "; " + std::to_string(o.baselined) + " in the baseline";
  if (o.stale_baseline)
    s += "; " + plural(o.stale_baseline, "baseline entry", "baseline entries") + " no longer " +
         (o.stale_baseline == 1 ? "matches" : "match");
  if (!r.unused_suppressions.empty())
    s += "; " + plural(r.unused_suppressions.size(), "unused suppression", "unused suppressions");
  if (!r.diagnostics.empty()) s += "; " + std::to_string(r.diagnostics.size()) + " file diagnostic(s) on stderr";
  return s + '.';
}

const RuleInfo* rule_info(std::string_view code) {
  const Rule* r = find_rule(code);
  return r ? &r->info() : nullptr;
}

std::string doc_section(std::string_view page, std::string_view heading) {
  // Find the heading line: `## <heading>` at the start of a line, maybe followed by `?`.
  size_t start = 0, body = std::string_view::npos;
  while (body == std::string_view::npos) {
    start = page.find("## ", start);
    if (start == std::string_view::npos) return {};
    const size_t eol = std::min(page.find('\n', start), page.size());
    std::string_view title = page.substr(start + 3, eol - start - 3);
    while (!title.empty() && (title.back() == '\r' || title.back() == ' ' || title.back() == '?')) title.remove_suffix(1);
    if ((start == 0 || page[start - 1] == '\n') && title == heading) body = eol;
    start = eol;
  }
  const size_t next = page.find("\n## ", body);
  std::string s(page.substr(body, (next == std::string_view::npos ? page.size() : next) - body));
  s.erase(0, s.find_first_not_of("\r\n"));
  const size_t last = s.find_last_not_of("\r\n ");
  s.erase(last == std::string::npos ? 0 : last + 1);
  return s;
}

namespace {

// Inline markup of one line: emphasis marks and backticks go, links open up.
std::string plain_inline(std::string_view line) {
  std::string out;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '`') continue;
    if (c == '*' && i + 1 < line.size() && line[i + 1] == '*') {
      ++i;
      continue;
    }
    if (c == '[') {
      const size_t close = line.find("](", i);
      const size_t end = close == std::string_view::npos ? close : line.find(')', close);
      if (end != std::string_view::npos) {
        out += plain_inline(line.substr(i + 1, close - i - 1));
        out += " (" + std::string(line.substr(close + 2, end - close - 2)) + ")";
        i = end;
        continue;
      }
    }
    out += c;
  }
  return out;
}

}  // namespace

std::string markdown_to_text(std::string_view markdown) {
  std::string out;
  bool fenced = false;
  size_t start = 0;
  while (start < markdown.size()) {
    size_t end = markdown.find('\n', start);
    if (end == std::string_view::npos) end = markdown.size();
    std::string_view line = markdown.substr(start, end - start);
    start = end + 1;
    if (line.substr(0, 3) == "```") {
      fenced = !fenced;
      continue;
    }
    if (fenced) {
      out += "    " + std::string(line) + "\n";
      continue;
    }
    size_t hashes = 0;
    while (hashes < line.size() && line[hashes] == '#') ++hashes;
    if (hashes && hashes < line.size() && line[hashes] == ' ') line.remove_prefix(hashes + 1);
    out += plain_inline(line) + "\n";
  }
  return out;
}

}  // namespace raceaudit::report
