#include "fix/vet.h"

#include <algorithm>
#include <tuple>

#include "parse/comment_lines.h"

namespace raceaudit {
namespace {

// The text an edit replaces (byte columns), lines joined by "\n".
std::string replaced_text(const LineIndex& lines, const Span& r) {
  auto piece = [](std::string_view line, size_t from, size_t to) {
    from = std::min(from, line.size());
    return std::string(line.substr(from, std::min(to, line.size()) - from));
  };
  if (r.line == r.end_line) return piece(lines.line(r.line), r.col - 1, r.end_col - 1);
  std::string out = piece(lines.line(r.line), r.col - 1, std::string::npos);
  for (uint32_t l = r.line + 1; l < r.end_line; ++l) out += "\n" + std::string(lines.line(l));
  return out + "\n" + piece(lines.line(r.end_line), 0, r.end_col - 1);
}

// Only spaces before the statement on its first line; only white space or a
// comment after it on its last.
bool stands_alone(const LineIndex& lines, const Span& s) {
  const std::string_view first = lines.line(s.line), last = lines.line(s.end_line);
  if (s.col == 0 || s.col - 1 > first.size() || first.substr(0, s.col - 1).find_first_not_of(' ') != std::string_view::npos)
    return false;
  if (s.end_col == 0 || s.end_col - 1 > last.size()) return false;
  const std::string_view rest = last.substr(s.end_col - 1);
  const size_t code = rest.find_first_not_of(" \t\r\f");
  return code == std::string_view::npos || rest[code] == '#';
}

// The edit that puts `w.header` before the region and moves its lines four
// columns right; nullopt when the region shares a line with other code or a
// line of it is indented with a tab. Lines that start inside a string, and
// blank ones, stay as they are.
std::optional<Edit> wrap_edit(const LineIndex& lines, const Wrap& w) {
  const Span& r = w.region;
  if (!stands_alone(lines, r)) return std::nullopt;
  const std::string region = replaced_text(lines, r);
  std::vector<size_t> in_string = lines_inside_strings(region);
  const std::string indent(r.col - 1, ' ');
  std::string out = w.header + "\n" + indent + "    ";
  size_t at = 0;
  for (;;) {
    const size_t nl = region.find('\n', at);
    out.append(region, at, nl == std::string::npos ? std::string::npos : nl + 1 - at);
    if (nl == std::string::npos) break;
    at = nl + 1;
    const size_t end = std::min(region.find('\n', at), region.size());
    const std::string_view line(region.data() + at, end - at);
    const size_t code = line.find_first_not_of(" \t\f\r");
    if (std::find(in_string.begin(), in_string.end(), at) != in_string.end() || code == std::string_view::npos)
      continue;
    if (line.substr(0, code).find_first_not_of(' ') != std::string_view::npos) return std::nullopt;  // a tab
    out += "    ";
  }
  return Edit{r, out};
}

}  // namespace

void vet_fix(std::optional<Fix>& fix, const LineIndex& lines) {
  if (!fix) return;
  if (fix->alone.line && !stands_alone(lines, fix->alone)) {
    fix.reset();
    return;
  }
  for (const Edit& e : fix->edits) {
    if (e.range.line == e.range.end_line && e.range.col == e.range.end_col) continue;
    bool comment = false;
    for_each_comment(replaced_text(lines, e.range), [&](size_t, size_t, bool) { comment = true; });
    if (comment) {
      fix.reset();
      return;
    }
  }
  for (const Wrap& w : fix->wraps) {
    auto e = wrap_edit(lines, w);
    if (!e) {
      fix.reset();
      return;
    }
    fix->edits.push_back(std::move(*e));
  }
  fix->wraps.clear();
  std::sort(fix->edits.begin(), fix->edits.end(), [](const Edit& a, const Edit& b) {
    return std::tie(a.range.line, a.range.col) < std::tie(b.range.line, b.range.col);
  });
}

}  // namespace raceaudit
