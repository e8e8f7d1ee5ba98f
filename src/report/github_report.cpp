// `--format github`: one GitHub Actions workflow command per finding, which
// the runner turns into an annotation on the pull request's diff:
//   ::error file=pkg/a.py,line=3,endLine=3,col=9,endColumn=18,title=RA001 ...::message
// Crash-class hazards are errors, silent ones warnings, low confidence notices.
#include "report/report.h"

namespace raceaudit {
namespace {

// Message data: '%', CR and LF are %-encoded (as the Actions toolkit does);
// other control characters too, which the runner leaves encoded, so that no
// escape sequence reaches the log.
std::string escape_data(std::string_view s) {
  static const char hex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '%' || c < 0x20 || c == 0x7F) {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += ch;
    }
  }
  return out;
}

// Property values: as data, plus ':' and ','.
std::string escape_property(std::string_view s) {
  std::string out;
  for (char c : escape_data(s)) {
    if (c == ':') out += "%3A";
    else if (c == ',') out += "%2C";
    else out += c;
  }
  return out;
}

const char* command(const Finding& f) {
  if (f.confidence == Confidence::Low) return "notice";
  return f.symptom == Symptom::Crash ? "error" : "warning";
}

}  // namespace

void write_github(std::ostream& out, const ScanResult& r, const ReportOptions&) {
  for (const Finding& f : r.findings) {
    out << "::" << command(f) << " file=" << escape_property(f.path) << ",line=" << f.span.line
        << ",endLine=" << f.span.end_line << ",col=" << f.span.col << ",endColumn=" << f.span.end_col
        << ",title=" << escape_property(f.code + " " + f.shape) << "::"
        << escape_data(f.message + " [" + to_string(f.confidence) + (f.confirmed ? ", confirmed" : "") + "]\nfix: " + f.fix_hint) << '\n';
  }
  for (const auto& u : r.unused_suppressions)
    out << "::warning file=" << escape_property(u.path) << ",line=" << u.span.line
        << ",title=raceaudit::" << escape_data(u.message) << '\n';
}

}  // namespace raceaudit
