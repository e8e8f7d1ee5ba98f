// `path:line:col: CODE message` per finding, then a summary line (ruff style).
#include <map>
#include <unordered_map>

#include "report/report.h"
#include "util/source_text.h"

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

class SourceLines {
 public:
  std::string_view line(const std::string& path, unsigned n) {
    auto it = texts_.find(path);
    if (it == texts_.end()) {
      std::string bytes, error, text;
      if (read_file(path, bytes, error)) text = decode_source(std::move(bytes)).text;
      it = texts_.emplace(path, std::move(text)).first;
    }
    return line_of(it->second, n);
  }

 private:
  std::unordered_map<std::string, std::string> texts_;
};

void show_line(std::ostream& out, SourceLines& src, const std::string& path, const Span& s, const Style& st) {
  const std::string_view line = src.line(path, s.line);
  const std::string num = std::to_string(s.line);
  out << "  " << st.dim() << num << " |" << st.reset() << ' ' << line << '\n';
  out << "  " << std::string(num.size(), ' ') << st.dim() << " |" << st.reset() << ' ';
  // Caret under the span (characters; tabs kept so the caret lines up).
  for (unsigned i = 1; i < s.col && i - 1 < line.size(); ++i) out << (line[i - 1] == '\t' ? '\t' : ' ');
  unsigned width = s.end_line == s.line && s.end_col > s.col ? s.end_col - s.col : 1;
  out << st.red() << std::string(width, '^') << st.reset() << '\n';
}

}  // namespace

void write_text(std::ostream& out, const ScanResult& r, const ReportOptions& o) {
  const Style st{o.color};
  SourceLines src;
  for (const Finding& f : r.findings) {
    out << st.bold() << f.path << st.reset() << ':' << f.span.line << ':' << f.span.col << ": " << st.red()
        << f.code << st.reset() << ' ' << f.message << ' ' << st.dim() << '[' << to_string(f.confidence)
        << ']' << st.reset() << '\n';
    if (o.show_source) {
      show_line(out, src, f.path, f.span, st);
      if (f.related) {
        out << "  " << st.cyan() << "related: " << f.related->path << ':' << f.related->span.line << ':'
            << f.related->span.col << ": " << f.related->note << st.reset() << '\n';
        show_line(out, src, f.related->path, f.related->span, st);
      }
      out << "  " << st.cyan() << "fix: " << st.reset() << f.fix_hint << "\n\n";
    }
  }
  for (const auto& u : r.unused_suppressions)
    out << u.path << ':' << u.span.line << ":1: " << u.message << '\n';
  if (o.quiet) return;
  std::map<Confidence, size_t> by_conf;
  for (const Finding& f : r.findings) ++by_conf[f.confidence];
  if (r.findings.empty()) {
    out << "No hazards found in " << r.files << (r.files == 1 ? " file" : " files");
  } else {
    out << "Found " << r.findings.size() << (r.findings.size() == 1 ? " hazard" : " hazards") << " ("
        << by_conf[Confidence::High] << " high, " << by_conf[Confidence::Medium] << " medium, "
        << by_conf[Confidence::Low] << " low) in " << r.files << (r.files == 1 ? " file" : " files");
  }
  if (r.suppressed) out << "; " << r.suppressed << " suppressed";
  if (!r.diagnostics.empty()) out << "; " << r.diagnostics.size() << " file diagnostic(s) on stderr";
  out << ".\n";
}

}  // namespace raceaudit
