#include "scan/fingerprint.h"

#include <cstdio>
#include <map>
#include <unordered_map>

#include "util/source_text.h"

namespace raceaudit {
namespace {

uint64_t fnv1a(std::string_view s, uint64_t h = 1469598103934665603ull) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::string fold_spaces(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

}  // namespace

void finish_findings(std::vector<Finding>& findings) {
  std::unordered_map<std::string, std::string> texts;
  std::map<std::string, uint32_t> seen;  // identity -> occurrences so far
  for (Finding& f : findings) {
    auto it = texts.find(f.path);
    if (it == texts.end()) {
      std::string bytes, error;
      std::string text;
      if (read_file(f.path, bytes, error)) text = decode_source(std::move(bytes)).text;
      it = texts.emplace(f.path, std::move(text)).first;
    }
    const std::string_view text = it->second;
    const std::string_view line = line_of(text, f.span.line);
    const std::string_view end_line = f.span.end_line == f.span.line ? line : line_of(text, f.span.end_line);
    f.span.col = byte_to_char_column(line, f.span.col);
    f.span.end_col = byte_to_char_column(end_line, f.span.end_col);
    if (f.related) {
      // Related sites may be in other files; convert only when in this one.
      if (f.related->path == f.path) {
        const std::string_view rl = line_of(text, f.related->span.line);
        f.related->span.col = byte_to_char_column(rl, f.related->span.col);
        f.related->span.end_col = byte_to_char_column(line_of(text, f.related->span.end_line), f.related->span.end_col);
      }
    }
    const std::string statement = fold_spaces(line);
    const std::string identity = f.code + '\x1f' + f.path + '\x1f' + f.scope + '\x1f' + f.target + '\x1f' + statement;
    f.occurrence = seen[identity]++;
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx",
                  static_cast<unsigned long long>(fnv1a(identity + '\x1f' + std::to_string(f.occurrence))));
    f.fingerprint = buf;
  }
}

}  // namespace raceaudit
