// `path:line:col: CODE message [confidence]` per finding, then a summary line
// (ruff style). `--show-source` adds the offending line with a caret under the
// span, the related site (e.g. RA003's mutation) the same way, the evidence
// for the confidence, and the fix.
#include <algorithm>

#include "report/report.h"
#include "report/report_common.h"
#include "util/paths.h"

namespace raceaudit {
namespace {

struct Style {
  bool on;
  const char* bold() const { return on ? "\x1b[1m" : ""; }
  const char* red() const { return on ? "\x1b[31m" : ""; }
  const char* cyan() const { return on ? "\x1b[36m" : ""; }
  const char* dim() const { return on ? "\x1b[2m" : ""; }
  const char* reset() const { return on ? "\x1b[0m" : ""; }
};

bool utf8_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Number of characters (code points) in `s`.
unsigned char_count(std::string_view s) {
  unsigned n = 0;
  for (char c : s) n += !utf8_continuation(c);
  return n;
}

// `  12 | <line>` and a caret line under the span. Columns are characters;
// tabs before the span are kept so that the caret lines up in a terminal.
void show_line(std::ostream& out, report::SourceLines& src, const std::string& path, const Span& s,
               size_t gutter, const Style& st) {
  const std::string_view line = src.line(path, s.line);
  const std::string num = std::to_string(s.line);
  out << "  " << st.dim() << std::string(gutter - num.size(), ' ') << num << " |" << st.reset() << ' ' << line
      << '\n';
  out << "  " << std::string(gutter, ' ') << st.dim() << " |" << st.reset() << ' ';
  unsigned col = 1;
  for (size_t i = 0; i < line.size() && col < s.col; ++i) {
    if (utf8_continuation(line[i])) continue;
    out << (line[i] == '\t' ? '\t' : ' ');
    ++col;
  }
  const unsigned line_chars = char_count(line);
  unsigned width = 1;
  if (s.end_line == s.line && s.end_col > s.col) width = s.end_col - s.col;
  else if (s.end_line > s.line && line_chars >= s.col) width = line_chars - s.col + 1;  // to the end of the line
  out << st.red() << std::string(width, '^') << st.reset() << '\n';
}

}  // namespace

void write_text(std::ostream& out, const ScanResult& r, const ReportOptions& o) {
  const Style st{o.color};
  report::SourceLines src;
  for (const Finding& f : r.findings) {
    out << st.bold() << display_path(f.path) << st.reset() << ':' << f.span.line << ':' << f.span.col << ": " << st.red()
        << f.code << st.reset() << ' ' << escape_control(f.message) << ' ' << st.dim() << '[' << to_string(f.confidence)
        << (f.confirmed ? ", confirmed" : "") << ']' << st.reset() << '\n';
    if (!o.show_source) continue;
    const size_t gutter = std::to_string(std::max(f.span.line, f.related ? f.related->span.line : 0u)).size();
    show_line(out, src, f.path, f.span, gutter, st);
    if (f.related) {
      out << "  " << st.cyan() << "related: " << escape_control(f.related->path) << ':' << f.related->span.line << ':'
          << f.related->span.col << ": " << escape_control(f.related->note) << st.reset() << '\n';
      show_line(out, src, f.related->path, f.related->span, gutter, st);
    }
    for (const Evidence& e : f.evidence)
      out << "  " << st.cyan() << "evidence: " << st.reset() << escape_control(e.message) << '\n';
    out << "  " << st.cyan() << "fix: " << st.reset() << f.fix_hint << "\n\n";
  }
  for (const auto& u : r.unused_suppressions)
    out << st.bold() << display_path(u.path) << st.reset() << ':' << u.span.line << ':' << std::max(1u, u.span.col) << ": "
        << u.message << '\n';
  if (o.quiet) return;
  out << report::summary_sentence(r, o) << '\n';
}

}  // namespace raceaudit
