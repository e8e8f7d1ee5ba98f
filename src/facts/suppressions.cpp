// Suppression comments are found by a text scan (cheap: two memmem-like
// searches per file) rather than by visiting every comment node.
#include <cctype>
#include <string>

#include "facts/lower.h"

namespace raceaudit {
namespace {

// True when `pos` on its line is inside a `#` comment (a `#` before it that is
// not inside a string literal on that line; good enough for directives).
bool in_comment(std::string_view text, size_t line_start, size_t pos) {
  char quote = 0;
  for (size_t i = line_start; i < pos; ++i) {
    const char c = text[i];
    if (quote) {
      if (c == '\\') ++i;
      else if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '#') {
      return true;
    }
  }
  return false;
}

void skip_spaces(std::string_view t, size_t& i) {
  while (i < t.size() && (t[i] == ' ' || t[i] == '\t')) ++i;
}

}  // namespace

void collect_suppressions(std::string_view text, ModuleFacts& facts) {
  size_t line_start = 0;
  uint32_t line = 1;
  size_t counted_to = 0;
  auto line_at = [&](size_t pos) {
    for (; counted_to < pos; ++counted_to)
      if (text[counted_to] == '\n') {
        ++line;
        line_start = counted_to + 1;
      }
  };
  for (const std::string_view marker : {std::string_view("raceaudit:"), std::string_view("thread_safe_ok")}) {
    line_start = 0;
    line = 1;
    counted_to = 0;
    for (size_t pos = text.find(marker); pos != std::string_view::npos; pos = text.find(marker, pos + 1)) {
      line_at(pos);
      if (!in_comment(text, line_start, pos)) continue;
      if (marker == "thread_safe_ok") {
        facts.suppressions.push_back({line, true, {}});
        continue;
      }
      size_t i = pos + marker.size();
      skip_spaces(text, i);
      if (text.compare(i, 11, "ignore-file") == 0) {
        facts.ignore_file = true;
        continue;
      }
      if (text.compare(i, 6, "ignore") != 0) continue;
      i += 6;
      // `ignore` must end there: `# raceaudit: ignored` is prose, not a directive.
      if (i < text.size() && (std::isalnum(static_cast<unsigned char>(text[i])) || text[i] == '_' || text[i] == '-'))
        continue;
      Suppression s{line, true, {}};
      if (i < text.size() && text[i] == '[') {
        s.all_codes = false;
        ++i;
        std::string code;
        for (; i < text.size() && text[i] != ']' && text[i] != '\n'; ++i) {
          const char c = text[i];
          if (std::isalnum(static_cast<unsigned char>(c))) {
            code += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
          } else if (!code.empty()) {
            s.codes.push_back(code);
            code.clear();
          }
        }
        if (!code.empty()) s.codes.push_back(code);
      }
      facts.suppressions.push_back(std::move(s));
    }
  }
}

}  // namespace raceaudit
