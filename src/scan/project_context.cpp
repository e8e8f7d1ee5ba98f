#include "scan/project_context.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <set>

#include "scan/scan.h"

namespace raceaudit {
namespace {

std::string real_path(const std::string& p) {
  char* r = realpath(p.c_str(), nullptr);
  if (!r) return absolute_path(p);
  std::string out(r);
  std::free(r);
  return out;
}

// The project root spelt like the named paths: relative to the working
// directory when they are relative, so that context files read the same way.
std::string root_as_named(const ScanOptions& o) {
  if (!o.paths.empty() && !o.paths.front().empty() && o.paths.front()[0] == '/') return o.project_root;
  const std::string rel = std::filesystem::path(o.project_root).lexically_relative(absolute_path(".")).string();
  return rel.empty() ? o.project_root : rel;
}

}  // namespace

bool add_project_context(DiscoverResult& found, const ScanOptions& o) {
  if (!o.link_project || o.project_root.empty()) return false;
  for (const auto& p : o.paths) {
    const std::string abs = absolute_path(p);
    if (abs == o.project_root || relative_to(o.project_root, abs) != "") return false;  // covers the root
  }
  DiscoverOptions d = o.discover;
  d.force_exclude = false;
  DiscoverResult all = discover({root_as_named(o)}, d);
  std::set<std::string> named;
  for (const auto& f : found.files) named.insert(real_path(f.path));
  for (auto& f : all.files)
    if (!named.count(real_path(f.path))) {
      f.context = true;
      found.files.push_back(std::move(f));
    }
  std::sort(found.files.begin(), found.files.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
  return true;
}

}  // namespace raceaudit
