// Finds the Python files to scan below the given paths.
#pragma once

#include <string>
#include <vector>

#include "discover/exclude.h"

namespace raceaudit {

struct DiscoveredFile {
  std::string path;         // as it will be reported (relative paths stay relative)
  std::string module_name;  // dotted, from the packages (__init__.py) above it
  bool is_package = false;  // an __init__.py
  bool outside_roots = false;  // reached through a symlink that leaves the given paths (--follow-links)
  bool context = false;        // not named, read only to link the named files (scan/project_context.h)
};

struct DiscoverOptions {
  std::vector<AnchoredGlob> exclude;  // exclude.h: on names, and on paths relative to an anchor
  std::string base;                   // absolute project root: --force-exclude tries names below it
  bool respect_gitignore = false;     // skip what git ignores (inside a git work tree)
  bool force_exclude = false;         // apply `exclude` to the paths named too
  bool follow_links = false;          // follow file symlinks that leave the given paths
};

struct DiscoverResult {
  std::vector<DiscoveredFile> files;   // sorted by path, no duplicates
  std::vector<std::string> warnings;   // "path: reason" for what could not be read
  std::vector<std::string> errors;     // paths given on the command line that do not exist
};

// Directories are walked recursively without following directory symlinks;
// VCS, cache, virtual-environment and node_modules directories are skipped, as
// are entries `exclude` matches and, with `respect_gitignore`, those git
// ignores. A path named explicitly is always scanned, whatever its name, unless
// `force_exclude` and an exclude pattern matches it. A file symlink
// whose target lies outside every given path is not followed (a warning says
// so) unless `follow_links`. Paths may be longer than PATH_MAX (the walk
// works relative to directory descriptors); what cannot be read is reported.
// A file reached by several paths (symlinks, hard links) is listed once, by
// a path that is not a symlink when there is one, else the first in order.
DiscoverResult discover(const std::vector<std::string>& paths, const DiscoverOptions& options);

// Module name of a file, from the chain of package directories above it.
std::string module_name_for(const std::string& path, bool& is_package);

}  // namespace raceaudit
