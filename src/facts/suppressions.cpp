// Suppression comments are read from the comment tokens of the file (the
// same tokenizer that blanks comment lines before parsing), so a marker
// inside a string, triple-quoted or not, is text and never a directive.
#include <cctype>
#include <string>

#include "facts/lower.h"
#include "parse/comment_lines.h"

namespace raceaudit {
namespace {

void skip_spaces(std::string_view t, size_t& i) {
  while (i < t.size() && (t[i] == ' ' || t[i] == '\t')) ++i;
}

// `# raceaudit: ignore[RA001, RA003]` from just after `ignore`: the codes.
void read_codes(std::string_view c, size_t i, Suppression& s) {
  s.all_codes = false;
  std::string code;
  for (++i; i < c.size() && c[i] != ']'; ++i) {
    const char ch = c[i];
    if (std::isalnum(static_cast<unsigned char>(ch))) {
      code += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    } else if (!code.empty()) {
      s.codes.push_back(code);
      code.clear();
    }
  }
  if (!code.empty()) s.codes.push_back(code);
}

// The directives of one comment's text.
void read_comment(std::string_view c, uint32_t line, ModuleFacts& facts) {
  if (c.find("thread_safe_ok") != std::string_view::npos) facts.suppressions.push_back({line, true, {}});
  constexpr std::string_view marker = "raceaudit:";
  for (size_t pos = c.find(marker); pos != std::string_view::npos; pos = c.find(marker, pos + 1)) {
    size_t i = pos + marker.size();
    skip_spaces(c, i);
    if (c.compare(i, 11, "ignore-file") == 0) {
      facts.ignore_file = true;
      continue;
    }
    if (c.compare(i, 6, "ignore") != 0) continue;
    i += 6;
    // `ignore` must end there: `# raceaudit: ignored` is prose, not a directive.
    if (i < c.size() && (std::isalnum(static_cast<unsigned char>(c[i])) || c[i] == '_' || c[i] == '-')) continue;
    Suppression s{line, true, {}};
    if (i < c.size() && c[i] == '[') read_codes(c, i, s);
    facts.suppressions.push_back(std::move(s));
  }
}

}  // namespace

void collect_suppressions(std::string_view text, ModuleFacts& facts) {
  uint32_t line = 1;
  size_t counted_to = 0;
  for_each_comment(text, [&](size_t start, size_t stop, bool) {
    for (; counted_to < start; ++counted_to)
      if (text[counted_to] == '\n') ++line;
    const std::string_view c = text.substr(start, stop - start);
    if (c.find("raceaudit:") == std::string_view::npos && c.find("thread_safe_ok") == std::string_view::npos) return;
    read_comment(c, line, facts);
  });
}

}  // namespace raceaudit
