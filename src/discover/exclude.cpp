#include "discover/exclude.h"

#include <fnmatch.h>

#include <filesystem>

#include "discover/glob.h"

namespace raceaudit {

std::string absolute_path(const std::string& path) {
  std::error_code ec;
  std::filesystem::path p = std::filesystem::absolute(path.empty() ? "." : path, ec);
  if (ec) p = path;
  std::string s = p.lexically_normal().string();
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

std::string relative_to(const std::string& path, const std::string& dir) {
  if (path == dir) return ".";
  if (dir == "/") return path.size() > 1 ? path.substr(1) : ".";
  if (path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 && path[dir.size()] == '/')
    return path.substr(dir.size() + 1);
  return {};
}

std::string project_relative(const std::string& path, const std::string& root) {
  const std::string abs = absolute_path(path);
  const std::string rel = relative_to(abs, root.empty() ? absolute_path(".") : root);
  return rel.empty() ? abs : rel;
}

bool glob_excludes(const AnchoredGlob& pattern, const std::string& abs_path, const std::string& base) {
  if (pattern.glob.find('/') == std::string::npos) {
    // Each name from `base` down: the file's and its directories'.
    std::string rest = base.empty() ? abs_path : relative_to(abs_path, base);
    if (rest == ".") return false;  // the base itself (the project root) is never excluded
    if (rest.empty()) rest = abs_path.substr(abs_path.rfind('/') + 1);  // outside it: its own name only
    size_t start = 0;
    for (size_t i = 0; i <= rest.size(); ++i)
      if (i == rest.size() || rest[i] == '/') {
        const std::string name = rest.substr(start, i - start);
        if (!name.empty() && fnmatch(pattern.glob.c_str(), name.c_str(), 0) == 0) return true;
        start = i + 1;
      }
    return false;
  }
  std::string glob = pattern.glob;
  while (glob.size() > 2 && glob.compare(0, 2, "./") == 0) glob.erase(0, 2);
  const std::string rel = relative_to(abs_path, pattern.anchor);
  return !rel.empty() && rel != "." && glob_match_or_below(glob, rel);
}

bool any_excludes(const std::vector<AnchoredGlob>& patterns, const std::string& abs_path, const std::string& base) {
  for (const auto& p : patterns)
    if (glob_excludes(p, abs_path, base)) return true;
  return false;
}

}  // namespace raceaudit
