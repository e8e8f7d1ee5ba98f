#include "discover/glob.h"

#include <fnmatch.h>

#include <vector>

namespace raceaudit {
namespace {

std::vector<std::string> segments(std::string_view s) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i)
    if (i == s.size() || s[i] == '/') {
      if (i > start) out.emplace_back(s.substr(start, i - start));  // "a//b" is "a/b"
      start = i + 1;
    }
  return out;
}

// Segment-wise match; `**` tries every number of segments. Iterative over the
// last `**` seen (the classic backtracking of wildcard matching), so its cost
// is bounded by pattern x path segments.
bool match_segments(const std::vector<std::string>& pat, const std::vector<std::string>& path) {
  size_t p = 0, s = 0, star_p = std::string::npos, star_s = 0;
  while (s < path.size()) {
    if (p < pat.size() && pat[p] == "**") {
      star_p = p++;
      star_s = s;
    } else if (p < pat.size() && fnmatch(pat[p].c_str(), path[s].c_str(), FNM_PATHNAME) == 0) {
      ++p;
      ++s;
    } else if (star_p != std::string::npos) {
      p = star_p + 1;
      s = ++star_s;
    } else {
      return false;
    }
  }
  while (p < pat.size() && pat[p] == "**") ++p;
  return p == pat.size();
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view path) {
  return match_segments(segments(pattern), segments(path));
}

bool glob_match_or_below(std::string_view pattern, std::string_view path) {
  const std::vector<std::string> pat = segments(pattern);
  std::vector<std::string> all = segments(path);
  for (size_t n = all.size(); n > 0; --n) {
    all.resize(n);
    if (match_segments(pat, all)) return true;
  }
  return false;
}

}  // namespace raceaudit
