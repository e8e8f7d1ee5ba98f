// Exclusion patterns as ruff reads them: a pattern without a slash matches the
// name of a file or of any directory it lies in (`.mypy_cache`, `foo_*.py`);
// a pattern with a slash is a glob (glob.h) on the path relative to its
// anchor: the directory of the configuration file that gave it, or the
// working directory for the command line's. Matching is on absolute, lexically
// normal paths, so it does not depend on how the scanned path was spelt.
#pragma once

#include <string>
#include <vector>

namespace raceaudit {

struct AnchoredGlob {
  std::string glob;
  std::string anchor;  // absolute directory the glob is relative to
};

// `path` made absolute against the working directory and lexically normal
// (no ".", "..", "//", trailing "/"); symlinks are not resolved.
std::string absolute_path(const std::string& path);

// `path` relative to directory `dir` (both absolute), or "" when it is not
// below it; "." when they are the same.
std::string relative_to(const std::string& path, const std::string& dir);

// How a file is named in fingerprints and baselines: relative to the project
// root (the working directory when `root` is ""), absolute when outside it.
std::string project_relative(const std::string& path, const std::string& root);

// Does `pattern` match the file or directory `abs_path`? `base` bounds the
// directory names a slash-less pattern is tried on (those below it; all of
// them when empty).
bool glob_excludes(const AnchoredGlob& pattern, const std::string& abs_path, const std::string& base);

bool any_excludes(const std::vector<AnchoredGlob>& patterns, const std::string& abs_path, const std::string& base);

}  // namespace raceaudit
