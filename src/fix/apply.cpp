#include "fix/apply.h"

#include <algorithm>
#include <optional>
#include <tuple>

namespace raceaudit {
namespace {

struct ByteEdit {
  size_t begin = 0, end = 0;
  const std::string* content = nullptr;
  size_t fix = 0;
  std::vector<size_t> also;  // other fixes that make the same edit
};

// Byte offset of a 1-based line and character column; nullopt past the text.
std::optional<size_t> offset_of(std::string_view text, const std::vector<size_t>& starts, uint32_t line,
                                uint32_t col) {
  if (line == 0 || line > starts.size() || col == 0) return std::nullopt;
  size_t i = starts[line - 1];
  const size_t stop = line < starts.size() ? starts[line] : text.size();
  for (uint32_t c = 1; c < col; ++c) {
    if (i >= stop) return std::nullopt;
    ++i;
    while (i < stop && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) ++i;
  }
  return i;
}

std::vector<size_t> line_starts(std::string_view text) {
  std::vector<size_t> starts{0};
  for (size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') starts.push_back(i + 1);
  return starts;
}

// Two edits conflict when their ranges share text, or one inserts at a point
// the other touches (the order of the two would be a guess).
bool conflict(const ByteEdit& a, const ByteEdit& b) {
  if (a.begin < b.end && b.begin < a.end) return true;
  const bool a_inserts = a.begin == a.end, b_inserts = b.begin == b.end;
  return (a_inserts && b.begin <= a.begin && a.begin <= b.end) || (b_inserts && a.begin <= b.begin && b.begin <= a.end);
}

// Two fixes that make the same edit (the same new lock, the same import)
// share it: it is made once.
bool identical(const ByteEdit& a, const ByteEdit& b) {
  return a.begin == b.begin && a.end == b.end && *a.content == *b.content;
}

std::string with_line_ending(const std::string& content, bool crlf) {
  if (!crlf) return content;
  std::string out;
  for (char c : content) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

}  // namespace

ApplyResult apply_fixes(std::string_view text, const std::vector<const Fix*>& fixes) {
  ApplyResult r;
  const std::vector<size_t> starts = line_starts(text);
  // Each fix's edits as byte ranges; fixes in the order of their first edit.
  std::vector<std::vector<ByteEdit>> edits(fixes.size());
  std::vector<size_t> order;
  for (size_t i = 0; i < fixes.size(); ++i) {
    bool placed = !fixes[i]->edits.empty();
    for (const Edit& e : fixes[i]->edits) {
      const auto b = offset_of(text, starts, e.range.line, e.range.col);
      const auto en = offset_of(text, starts, e.range.end_line, e.range.end_col);
      if (!b || !en || *en < *b) placed = false;
      else edits[i].push_back({*b, *en, &e.content, i, {}});
    }
    if (placed) order.push_back(i);
    else r.unplaceable.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return std::tie(edits[a][0].begin, edits[a][0].end) < std::tie(edits[b][0].begin, edits[b][0].end);
  });
  std::vector<ByteEdit> taken;
  std::vector<size_t> kept;
  for (size_t i : order) {
    bool clash = false;
    std::vector<ByteEdit> fresh;  // not made by a fix taken already
    std::vector<ByteEdit*> shared;
    for (const ByteEdit& e : edits[i]) {
      ByteEdit* same = nullptr;
      for (ByteEdit& t : taken) {
        if (identical(e, t)) same = &t;
        else clash = clash || conflict(e, t);
      }
      if (same) shared.push_back(same);
      else fresh.push_back(e);
    }
    for (size_t a = 0; a < edits[i].size() && !clash; ++a)
      for (size_t b = a + 1; b < edits[i].size(); ++b) clash = clash || conflict(edits[i][a], edits[i][b]);
    if (clash) {
      r.overlapping.push_back(i);
      continue;
    }
    for (ByteEdit* t : shared) t->also.push_back(i);
    taken.insert(taken.end(), fresh.begin(), fresh.end());
    kept.push_back(i);
  }
  std::sort(taken.begin(), taken.end(), [](const ByteEdit& a, const ByteEdit& b) { return a.begin < b.begin; });

  const bool crlf = starts.size() > 1 && starts[1] >= 2 && text[starts[1] - 2] == '\r';
  std::vector<uint32_t> first(fixes.size(), 0), last(fixes.size(), 0);
  uint32_t line = 1;
  size_t at = 0;
  auto copy = [&](std::string_view piece) {
    line += static_cast<uint32_t>(std::count(piece.begin(), piece.end(), '\n'));
    r.text += piece;
  };
  for (const ByteEdit& e : taken) {
    copy(text.substr(at, e.begin - at));
    const uint32_t at_line = line;
    copy(with_line_ending(*e.content, crlf));
    auto mark = [&](size_t fix) {
      if (!first[fix]) first[fix] = at_line;
      last[fix] = line;
    };
    mark(e.fix);
    for (size_t fix : e.also) mark(fix);
    at = e.end;
  }
  copy(text.substr(at));
  for (size_t i : kept) r.applied.push_back({i, first[i], last[i]});
  std::sort(r.applied.begin(), r.applied.end(),
            [](const AppliedFix& a, const AppliedFix& b) { return a.first_line < b.first_line; });
  return r;
}

}  // namespace raceaudit
