#include "fix/vet.h"

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

}  // namespace

void drop_fix_deleting_comments(std::optional<Fix>& fix, const LineIndex& lines) {
  if (!fix) return;
  for (const Edit& e : fix->edits) {
    if (e.range.line == e.range.end_line && e.range.col == e.range.end_col) continue;
    bool comment = false;
    for_each_comment(replaced_text(lines, e.range), [&](size_t, size_t, bool) { comment = true; });
    if (comment) {
      fix.reset();
      return;
    }
  }
}

}  // namespace raceaudit
