#include "parse/indentation.h"

#include <string>
#include <vector>

namespace raceaudit {

std::optional<Diagnostic> check_indentation(std::string_view text) {
  std::vector<unsigned> stack{0};
  int brackets = 0;
  bool in_string = false, triple = false, continued = false, string_continues = false;
  char quote = 0;
  char last_significant = 0;  // last non-space, non-comment character of the logical line so far
  bool opened_block = false;  // the previous logical line ended with ':'
  unsigned line = 1;
  size_t i = 0;
  auto diag = [&](unsigned l, unsigned col, const char* msg) {
    return Diagnostic{Span{l, col, l, col}, std::string("indentation error: ") + msg};
  };
  while (i < text.size()) {
    const size_t line_begin = i;
    // At the start of a physical line that starts a logical line: measure indentation.
    if (!in_string && brackets == 0 && !continued) {
      unsigned col = 0;
      size_t j = i;
      for (; j < text.size(); ++j) {
        if (text[j] == ' ') ++col;
        else if (text[j] == '\t') col = (col / 8 + 1) * 8;
        else if (text[j] == '\f') col = 0;
        else break;
      }
      const bool blank = j >= text.size() || text[j] == '\n' || text[j] == '\r' || text[j] == '#';
      if (!blank) {
        if (col > stack.back()) {
          if (!opened_block) return diag(line, col + 1, "unexpected indent");
          stack.push_back(col);
        } else {
          if (opened_block) return diag(line, col + 1, "expected an indented block");
          while (col < stack.back()) stack.pop_back();
          if (col != stack.back()) return diag(line, col + 1, "unindent does not match any outer indentation level");
        }
        opened_block = false;
        last_significant = 0;
      }
      i = j;
    }
    continued = false;
    // Scan the rest of the physical line.
    for (; i < text.size() && text[i] != '\n'; ++i) {
      const char c = text[i];
      if (in_string) {
        if (c == '\\') {
          if (i + 1 < text.size() && text[i + 1] == '\n') {  // escaped newline: the string goes on
            string_continues = true;
            ++i;
            break;
          }
          ++i;
        } else if (c == quote && (!triple || (i + 2 < text.size() && text[i + 1] == quote && text[i + 2] == quote))) {
          in_string = false;
          if (triple) i += 2;
          last_significant = quote;
        }
        continue;
      }
      if (c == '#') {
        while (i < text.size() && text[i] != '\n') ++i;
        break;
      }
      if (c == '\\' && (i + 1 >= text.size() || text[i + 1] == '\n' || (text[i + 1] == '\r' && i + 2 < text.size() && text[i + 2] == '\n'))) {
        continued = true;
        if (i + 1 < text.size() && text[i + 1] == '\r') ++i;
        ++i;
        break;
      }
      if (c == ' ' || c == '\t' || c == '\r' || c == '\f') continue;
      if (c == '\'' || c == '"') {
        in_string = true;
        quote = c;
        triple = i + 2 < text.size() && text[i + 1] == c && text[i + 2] == c;
        if (triple) i += 2;
        continue;
      }
      if (c == '(' || c == '[' || c == '{') ++brackets;
      else if ((c == ')' || c == ']' || c == '}') && brackets > 0) --brackets;
      last_significant = c;
    }
    if (i < text.size() && text[i] == '\n') {
      ++i;
      ++line;
      if (in_string && !triple && !string_continues) in_string = false;  // unterminated: the parser reports it
      string_continues = false;
      if (!in_string && brackets == 0 && !continued && last_significant != 0) {
        opened_block = last_significant == ':';
        last_significant = 0;
      }
    }
    if (i == line_begin) ++i;  // never stand still, whatever the input
  }
  return std::nullopt;
}

}  // namespace raceaudit
