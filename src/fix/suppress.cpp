#include "fix/suppress.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <unordered_set>

#include "parse/comment_lines.h"

namespace raceaudit {
namespace {

constexpr size_t kNone = std::string_view::npos;

struct Line {
  size_t start = 0, end = 0;  // end: before "\n" (and a "\r" before it)
  size_t comment = kNone;     // where its comment starts
};

std::vector<Line> lines_of(std::string_view text) {
  std::vector<Line> lines;
  for (size_t at = 0; at <= text.size();) {
    size_t nl = text.find('\n', at);
    const size_t next = nl == kNone ? text.size() + 1 : nl + 1;
    if (nl == kNone) nl = text.size();
    size_t end = nl;
    if (end > at && text[end - 1] == '\r') --end;
    lines.push_back({at, end});
    at = next;
  }
  std::vector<size_t> starts;
  for (const Line& l : lines) starts.push_back(l.start);
  for_each_comment(text, [&](size_t start, size_t, bool) {
    const size_t i = static_cast<size_t>(std::upper_bound(starts.begin(), starts.end(), start) - starts.begin()) - 1;
    if (lines[i].comment == kNone) lines[i].comment = start;
  });
  return lines;
}

// The brackets of the first `raceaudit: ignore[...]` in a comment.
bool find_codes(std::string_view c, size_t& open, size_t& close) {
  for (size_t pos = c.find("raceaudit:"); pos != kNone; pos = c.find("raceaudit:", pos + 1)) {
    size_t i = pos + 10;
    while (i < c.size() && (c[i] == ' ' || c[i] == '\t')) ++i;
    if (c.compare(i, 7, "ignore[") != 0) continue;
    open = i + 6;
    close = c.find(']', open);
    if (close != kNone) return true;
  }
  return false;
}

std::string joined(const std::set<std::string>& codes) {
  std::string out;
  for (const auto& c : codes) out += (out.empty() ? "" : ",") + c;
  return out;
}

void add_codes(std::string_view listed, std::set<std::string>& codes) {
  std::string code;
  for (char ch : std::string(listed) + ",") {
    if (std::isalnum(static_cast<unsigned char>(ch))) {
      code += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    } else if (!code.empty()) {
      codes.insert(code);
      code.clear();
    }
  }
}

struct Piece {
  size_t begin = 0, end = 0;
  std::string content;
  uint32_t line = 0;
  bool must_start_comment = false;  // an insertion at the end of a line without a comment
};

}  // namespace

SuppressionEdits add_suppressions(std::string_view text, const std::vector<SuppressionTarget>& targets) {
  const std::vector<Line> lines = lines_of(text);
  std::vector<size_t> choice(targets.size(), 0);
  for (;;) {
    std::map<uint32_t, std::set<std::string>> codes;
    std::map<uint32_t, std::vector<size_t>> asked;
    for (size_t i = 0; i < targets.size(); ++i)
      if (choice[i] < targets[i].lines.size()) {
        codes[targets[i].lines[choice[i]]].insert(targets[i].code);
        asked[targets[i].lines[choice[i]]].push_back(i);
      }
    SuppressionEdits out;
    std::vector<Piece> pieces;
    std::vector<uint32_t> failed;
    for (auto& [l, cs] : codes) {
      const Line* line = l >= 1 && l <= lines.size() ? &lines[l - 1] : nullptr;
      size_t open = 0, close = 0;
      if (!line) {
        failed.push_back(l);
      } else if (line->comment != kNone && find_codes(text.substr(line->comment, line->end - line->comment), open, close)) {
        add_codes(text.substr(line->comment + open + 1, close - open - 1), cs);
        pieces.push_back({line->comment + open + 1, line->comment + close, joined(cs), l, false});
        ++out.merged;
      } else if (line->comment == kNone && line->end > line->start && text[line->end - 1] == '\\') {
        failed.push_back(l);
      } else {
        pieces.push_back({line->end, line->end, "  # raceaudit: ignore[" + joined(cs) + "]", l, line->comment == kNone});
        ++out.added;
      }
    }
    // Pieces are in line order; build the text and check that each new
    // comment is one (not the inside of a string the line ends in).
    std::vector<std::pair<size_t, uint32_t>> hashes;  // where a new comment's `#` is, its line
    size_t at = 0;
    for (const Piece& p : pieces) {
      out.text.append(text.substr(at, p.begin - at));
      if (p.must_start_comment) hashes.push_back({out.text.size() + 2, p.line});
      out.text += p.content;
      at = p.end;
    }
    out.text.append(text.substr(at));
    std::unordered_set<size_t> comments;
    for_each_comment(out.text, [&](size_t start, size_t, bool) { comments.insert(start); });
    for (const auto& [hash, l] : hashes)
      if (!comments.count(hash)) failed.push_back(l);
    if (failed.empty()) {
      for (size_t i = 0; i < targets.size(); ++i)
        if (choice[i] >= targets[i].lines.size()) out.unplaced.push_back(i);
      return out;
    }
    for (uint32_t l : failed)
      for (size_t i : asked[l]) ++choice[i];
  }
}

}  // namespace raceaudit
