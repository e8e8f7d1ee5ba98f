// `--format markdown`: an audit report to paste into an issue. A hazard
// inventory (one row per shape: sites, symptom, confidence), then the sites
// grouped by shape, each with its code line and the related site's.
#include <algorithm>
#include <map>
#include <sstream>

#include "report/report.h"
#include "report/report_common.h"

namespace raceaudit {
namespace {

// Inline text: markdown punctuation outside `code spans` is escaped so that
// names like `__init__` or `slots[i]` print as written.
std::string inline_text(std::string_view s) {
  std::string out;
  bool in_code = false;
  for (char c : s) {
    if (c == '`') in_code = !in_code;
    else if (!in_code && std::string_view("\\*_[]<>|#").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

// A code span for any text (longer backtick fences when it holds backticks).
std::string code_span(std::string_view s) {
  size_t run = 0, longest = 0;
  for (char c : s) longest = std::max(longest, run = c == '`' ? run + 1 : 0);
  const std::string fence(longest + 1, '`');
  const bool pad = !s.empty() && (s.front() == '`' || s.back() == '`');
  return fence + (pad ? " " : "") + std::string(s) + (pad ? " " : "") + fence;
}

void code_block(std::ostream& out, std::string_view line) {
  size_t run = 0, longest = 0;
  for (char c : line) longest = std::max(longest, run = c == '`' ? run + 1 : 0);
  const std::string fence(std::max<size_t>(3, longest + 1), '`');
  const size_t indent = line.find_first_not_of(" \t");
  out << fence << "python\n" << (indent == std::string_view::npos ? "" : line.substr(indent)) << '\n' << fence << "\n\n";
}

std::string location(const std::string& path, const Span& s) {
  return path + ':' + std::to_string(s.line) + ':' + std::to_string(s.col);
}

std::string confidence_cell(const report::ConfidenceCounts& c) {
  std::string s;
  for (auto [n, name] : {std::pair{c.high, "high"}, std::pair{c.medium, "medium"}, std::pair{c.low, "low"}}) {
    if (!n) continue;
    if (!s.empty()) s += ", ";
    s += std::to_string(n) + ' ' + name;
  }
  return s;
}

// Anchor GitHub generates for a heading "RA003: iterate-while-mutated".
std::string anchor(const std::string& code, std::string_view name) {
  std::string a;
  for (char c : code + ": " + std::string(name)) {
    if (std::isalnum(static_cast<unsigned char>(c))) a += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    else if (c == ' ' || c == '-') a += '-';
  }
  return a;
}

}  // namespace

void write_markdown(std::ostream& to, const ScanResult& r, const ReportOptions& o) {
  std::ostringstream out;
  out << "# raceaudit report\n\n" << report::summary_sentence(r, o) << "\n\n";

  // Shapes in rule order, each with its findings in report order.
  std::map<std::string, std::vector<const Finding*>> by_code;
  for (const Finding& f : r.findings) by_code[f.code].push_back(&f);

  if (!by_code.empty()) {
    out << "## Hazard inventory\n\n";
    out << "| Shape | Rule | Sites | Symptom | Confidence |\n|---|---|--:|---|---|\n";
    for (const auto& [code, sites] : by_code) {
      const RuleInfo* info = report::rule_info(code);
      report::ConfidenceCounts c;
      for (const Finding* f : sites) c.add(f->confidence);
      const std::string_view shape = info ? info->shape : std::string_view(sites.front()->shape);
      const std::string_view name = info ? info->name : std::string_view(sites.front()->shape);
      out << "| " << inline_text(shape) << " | [" << code << "](#" << anchor(code, name) << ") | " << sites.size()
          << " | " << to_string(sites.front()->symptom) << " | " << confidence_cell(c) << " |\n";
    }
    out << "| **total** | | " << r.findings.size() << " | | " << confidence_cell(report::count_confidence(r))
        << " |\n\n";
  }

  report::SourceLines src;
  for (const auto& [code, sites] : by_code) {
    const RuleInfo* info = report::rule_info(code);
    const std::string_view name = info ? info->name : std::string_view(sites.front()->shape);
    out << "## " << code << ": " << name << "\n\n";
    if (info)
      out << "**Shape:** " << inline_text(info->shape) << ". **Symptom:** " << to_string(info->symptom)
          << ". **Fix:** " << inline_text(info->fix_hint) << ". Explained by `raceaudit rule " << code << "`.\n\n";
    size_t n = 0;
    for (const Finding* f : sites) {
      out << "### " << code << '.' << ++n << ' ' << code_span(location(f->path, f->span));
      if (!f->scope.empty()) out << " in " << code_span(f->scope);
      out << " (" << to_string(f->confidence) << (f->confirmed ? ", confirmed" : "") << ")\n\n";
      out << inline_text(f->message) << "\n\n";
      code_block(out, src.line(f->path, f->span.line));
      if (f->related) {
        out << "Related, " << inline_text(f->related->note) << ": "
            << code_span(location(f->related->path, f->related->span)) << "\n\n";
        code_block(out, src.line(f->related->path, f->related->span.line));
      }
    }
  }

  if (!r.unused_suppressions.empty()) {
    out << "## Unused suppressions\n\n";
    for (const auto& u : r.unused_suppressions)
      out << "- " << code_span(u.path + ':' + std::to_string(u.span.line)) << ": " << inline_text(u.message)
          << '\n';
    out << '\n';
  }
  // One newline at the end, however the last section ended.
  std::string text = std::move(out).str();
  while (text.size() > 1 && text[text.size() - 1] == '\n' && text[text.size() - 2] == '\n') text.pop_back();
  to << text;
}

}  // namespace raceaudit
