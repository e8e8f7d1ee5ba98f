#include "scan/fingerprint.h"

#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdio>
#include <map>
#include <optional>
#include <unordered_map>

#include "discover/exclude.h"
#include "fix/vet.h"
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

// The lines of each file with findings, read and indexed once.
// A file read from stdin has its text given instead.
class SourceCache {
 public:
  explicit SourceCache(const std::map<std::string, std::string>& given) : given_(given) {}

  const LineIndex& lines(const std::string& path) {
    auto [it, fresh] = texts_.try_emplace(path);
    Text& t = it->second;
    if (fresh) {
      std::string bytes, error;
      if (auto g = given_.find(path); g != given_.end()) t.text = g->second;
      else if (read_file(path, bytes, error)) t.text = decode_source(std::move(bytes)).text;
      t.lines.emplace(t.text);
    }
    return *t.lines;
  }

 private:
  struct Text {
    std::string text;
    std::optional<LineIndex> lines;  // over `text`, which stays put in its map node
  };
  std::unordered_map<std::string, Text> texts_;
  const std::map<std::string, std::string>& given_;
};

void to_char_columns(const LineIndex& lines, Span& s) {
  s.col = byte_to_char_column(lines.line(s.line), s.col);
  s.end_col = byte_to_char_column(lines.line(s.end_line), s.end_col);
}

}  // namespace

std::string fingerprint_text(std::string_view lines) {
  std::string out;
  bool space = false;
  char quote = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    const char c = lines[i];
    if (c == '\n') quote = 0;  // a comment or string on one line ends with it
    if (!quote && c == '#') {
      while (i < lines.size() && lines[i] != '\n') ++i;  // drop the comment, keep the line break
      space = !out.empty();
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f') {
      space = !out.empty();
      continue;
    }
    if (quote) {
      if (c == '\\' && i + 1 < lines.size()) {
        if (space) out += ' ';
        space = false;
        out += c;
        out += lines[++i];
        continue;
      }
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

void finish_findings(std::vector<Finding>& findings, const std::string& project_root,
                     const std::map<std::string, std::string>& given) {
  SourceCache sources(given);
  std::map<std::string, uint32_t> seen;  // identity -> occurrences so far
  for (Finding& f : findings) {
    const LineIndex& text = sources.lines(f.path);
    // The flagged lines (at most 20 of a long multi-line expression), before columns change.
    std::string lines;
    const uint32_t last = std::min(std::max(f.span.end_line, f.span.line), f.span.line + 19);
    for (uint32_t l = f.span.line; l <= last; ++l) {
      lines += text.line(l);
      lines += '\n';
    }
    vet_fix(f.fix, text);
    to_char_columns(text, f.span);
    if (f.fix)
      for (Edit& e : f.fix->edits) to_char_columns(text, e.range);
    if (f.related) to_char_columns(sources.lines(f.related->path), f.related->span);

    const std::string identity = std::string("raceaudit/v1") + '\x1f' + f.code + '\x1f' + project_relative(f.path, project_root) +
                                 '\x1f' + f.scope + '\x1f' + f.target + '\x1f' + fingerprint_text(lines);
    f.occurrence = seen[identity]++;
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx",
                  static_cast<unsigned long long>(fnv1a(identity + '\x1f' + std::to_string(f.occurrence))));
    f.fingerprint = buf;
  }
}

}  // namespace raceaudit
