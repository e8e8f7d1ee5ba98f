#include "parse/comment_lines.h"

#include <functional>

namespace raceaudit {

// A small tokenizer that knows only what matters here: where strings (single,
// triple-quoted, with backslash escapes) and comments start and end, so that
// a `#` inside a string (or a `#` line inside a multi-line string) is never
// taken for a comment.
namespace {

void scan(std::string_view text, const std::function<void(size_t, size_t, bool)>& comment,
          const std::function<void(size_t)>& line_in_string) {
  bool in_string = false, triple = false;
  char quote = 0;
  bool line_start = true;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        if (i + 1 < text.size() && text[i + 1] == '\n' && line_in_string) line_in_string(i + 2);
        ++i;
      } else if (c == quote) {
        if (!triple) {
          in_string = false;
        } else if (i + 2 < text.size() && text[i + 1] == quote && text[i + 2] == quote) {
          in_string = false;
          i += 2;
        }
      } else if (c == '\n' && !triple) {
        in_string = false;  // unterminated: the parser reports it
        line_start = true;
      } else if (c == '\n' && line_in_string) {
        line_in_string(i + 1);
      }
      continue;
    }
    if (c == '\n') {
      line_start = true;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\f') continue;
    if (c == '#') {
      size_t end = text.find('\n', i);
      if (end == std::string_view::npos) end = text.size();
      size_t stop = end;
      if (stop > i && text[stop - 1] == '\r') --stop;
      if (comment) comment(i, stop, line_start);
      i = end - 1;  // the newline is handled by the loop
      continue;
    }
    line_start = false;
    if (c == '\'' || c == '"') {
      in_string = true;
      quote = c;
      triple = i + 2 < text.size() && text[i + 1] == c && text[i + 2] == c;
      if (triple) i += 2;
    }
  }
}

}  // namespace

void for_each_comment(std::string_view text, const std::function<void(size_t, size_t, bool)>& f) {
  scan(text, f, nullptr);
}

std::vector<size_t> lines_inside_strings(std::string_view text) {
  std::vector<size_t> out;
  scan(text, nullptr, [&](size_t start) { out.push_back(start); });
  return out;
}

std::string blank_comment_lines(std::string_view text) {
  std::string out;
  for_each_comment(text, [&](size_t start, size_t stop, bool whole_line) {
    if (!whole_line) return;
    if (out.empty()) out.assign(text);
    out.replace(start, stop - start, stop - start, ' ');
  });
  return out;
}

}  // namespace raceaudit
