#include "discover/discover.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <unordered_map>
#include <array>
#include <cerrno>
#include <cstring>
#include <set>
#include <string_view>
#include <tuple>

#include "discover/exclude.h"
#include "discover/gitignore.h"
#include "util/paths.h"

namespace raceaudit {
namespace {

// Directories never scanned below a root (ruff's defaults, plus venvs by marker).
bool skipped_directory(std::string_view name) {
  static constexpr std::array<std::string_view, 24> names = {
      ".git", ".hg", ".svn", ".bzr", "__pycache__", "node_modules", ".venv", "venv", ".tox", ".nox",
      ".mypy_cache", ".ruff_cache", ".pytest_cache", ".pytype", ".eggs", ".direnv", "__pypackages__",
      ".ipynb_checkpoints", "_build", "buck-out", "site-packages", ".pyenv", ".pants.d", ".vscode"};
  return std::find(names.begin(), names.end(), name) != names.end();
}

bool has_suffix(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string join(const std::string& dir, const std::string& name) {
  if (dir.empty() || dir == ".") return dir == "." ? "./" + name : name;
  return dir.back() == '/' ? dir + name : dir + "/" + name;
}

std::string clean(std::string p) {
  while (p.size() > 2 && p.compare(0, 2, "./") == 0) p.erase(0, 2);
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  return p;
}

// An entry met in the walk of a directory: excluded by a pattern (a
// slash-less one on its own name only: the directories above it were checked
// on the way down) or ignored by git.
bool excluded_entry(const std::string& abs_dir, const std::string& name, bool is_dir, const DiscoverOptions& o,
                    const GitIgnore& git) {
  const std::string abs = abs_dir == "/" ? "/" + name : abs_dir + "/" + name;
  return any_excludes(o.exclude, abs, abs_dir) || (o.respect_gitignore && git.ignored(abs, is_dir));
}

}  // namespace

namespace {

// Dotted package prefix of a directory ("" when it is no package), cached per directory.
std::string package_prefix(const std::string& dir, std::unordered_map<std::string, std::string>* cache) {
  if (cache)
    if (auto it = cache->find(dir); it != cache->end()) return it->second;
  char resolved[PATH_MAX];
  std::string abs = realpath(dir.c_str(), resolved) ? std::string(resolved) : dir;
  std::vector<std::string> parts;
  for (int depth = 0; depth < 64 && !abs.empty() && abs != "/"; ++depth) {
    struct stat st {};
    if (stat((abs + "/__init__.py").c_str(), &st) != 0) break;
    const size_t s = abs.rfind('/');
    parts.push_back(abs.substr(s + 1));
    abs = s == 0 ? "/" : abs.substr(0, s);
  }
  std::string name;
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
    if (!name.empty()) name += '.';
    name += *it;
  }
  if (cache) cache->emplace(dir, name);
  return name;
}

std::string module_name_cached(const std::string& path, bool& is_package,
                               std::unordered_map<std::string, std::string>* cache) {
  const size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash);
  std::string stem = slash == std::string::npos ? path : path.substr(slash + 1);
  if (has_suffix(stem, ".py")) stem.resize(stem.size() - 3);
  else if (has_suffix(stem, ".pyi")) stem.resize(stem.size() - 4);
  is_package = stem == "__init__";
  const std::string prefix = package_prefix(dir, cache);
  if (is_package) return prefix;
  return prefix.empty() ? stem : prefix + "." + stem;
}

}  // namespace

std::string module_name_for(const std::string& path, bool& is_package) {
  return module_name_cached(path, is_package, nullptr);
}

namespace {

// The real path of `p`, or "" when it cannot be resolved.
std::string real_path(const std::string& p) {
  char* r = realpath(p.c_str(), nullptr);
  if (!r) return {};
  std::string out(r);
  std::free(r);
  return out;
}

bool below_any(const std::string& real, const std::vector<std::string>& roots) {
  for (const auto& r : roots)
    if (real == r || r == "/" || (real.size() > r.size() && real.compare(0, r.size(), r) == 0 && real[r.size()] == '/'))
      return true;
  return false;
}

struct Candidate {
  DiscoveredFile file;
  dev_t dev = 0;
  ino_t ino = 0;
  bool link = false;
};

}  // namespace

DiscoverResult discover(const std::vector<std::string>& paths, const DiscoverOptions& options) {
  DiscoverResult r;
  std::set<std::string> seen;
  std::unordered_map<std::string, std::string> packages;
  std::vector<Candidate> candidates;
  auto add_file = [&](const std::string& p, const struct stat& st, bool link, bool outside) {
    const std::string c = clean(p);
    if (!seen.insert(c).second) return;
    Candidate f;
    f.file.path = c;
    f.file.module_name = module_name_cached(c, f.file.is_package, &packages);
    f.file.outside_roots = outside;
    f.dev = st.st_dev;
    f.ino = st.st_ino;
    f.link = link;
    candidates.push_back(std::move(f));
  };
  std::vector<std::string> real_roots;
  for (const auto& root : paths)
    if (std::string real = real_path(root); !real.empty()) real_roots.push_back(std::move(real));
  for (const auto& root : paths) {
    struct stat st {};
    if (stat_path(root, st, 0) != 0) {
      const int e = errno;
      if (stat_path(root, st, AT_SYMLINK_NOFOLLOW) == 0) r.warnings.push_back(root + ": " + std::strerror(e));
      else r.errors.push_back(root + ": " + std::strerror(e));
      continue;
    }
    // Named explicitly: scanned whatever its name (reading it may still fail),
    // unless --force-exclude and a pattern matches it or a directory above it.
    if (options.force_exclude && any_excludes(options.exclude, absolute_path(root), options.base)) continue;
    if (!S_ISDIR(st.st_mode)) {
      add_file(root, st, false, false);
      continue;
    }
    const GitIgnore git(options.respect_gitignore ? root : std::string());
    // Iterative walk; directory symlinks are not followed, so there are no loops.
    // Each directory is opened once (in pieces below PATH_MAX when its path is
    // longer) and its entries are examined relative to its descriptor.
    std::vector<std::string> stack{root};
    std::set<std::pair<dev_t, ino_t>> visited;
    while (!stack.empty()) {
      const std::string dir = stack.back();
      const std::string abs_dir = absolute_path(dir);
      stack.pop_back();
      const int fd = open_path(dir, O_RDONLY | O_DIRECTORY | O_NOCTTY);
      DIR* d = fd < 0 ? nullptr : fdopendir(fd);
      if (!d) {
        r.warnings.push_back(clean(dir) + ": cannot read directory: " + std::strerror(errno));
        if (fd >= 0) close(fd);
        continue;
      }
      struct stat ds {};
      if (fstat(fd, &ds) == 0 && !visited.insert({ds.st_dev, ds.st_ino}).second) {
        closedir(d);
        continue;
      }
      std::vector<std::string> subdirs;
      int read_error = 0;
      for (;;) {
        errno = 0;
        const dirent* e = readdir(d);
        if (!e) {
          read_error = errno;
          break;
        }
        const std::string name = e->d_name;
        if (name == "." || name == "..") continue;
        const std::string p = join(dir, name);
        struct stat es {};
        if (fstatat(fd, name.c_str(), &es, AT_SYMLINK_NOFOLLOW) != 0) {
          r.warnings.push_back(clean(p) + ": cannot read: " + std::strerror(errno));
          continue;
        }
        const bool link = S_ISLNK(es.st_mode);
        if (link) {
          struct stat target {};
          if (fstatat(fd, name.c_str(), &target, 0) != 0) {
            if (has_suffix(name, ".py")) r.warnings.push_back(clean(p) + ": " + std::strerror(errno));
            continue;
          }
          if (S_ISDIR(target.st_mode)) continue;  // do not follow directory links
          es = target;
        }
        if (S_ISDIR(es.st_mode)) {
          if (skipped_directory(name) || excluded_entry(abs_dir, name, true, options, git)) continue;
          struct stat marker {};
          if (fstatat(fd, (name + "/pyvenv.cfg").c_str(), &marker, 0) == 0) continue;  // a virtual environment
          subdirs.push_back(p);
        } else if (S_ISREG(es.st_mode) && (has_suffix(name, ".py") || has_suffix(name, ".pyi"))) {
          if (has_suffix(name, ".pyi")) continue;  // stubs hold no run-time code
          if (excluded_entry(abs_dir, name, false, options, git)) continue;
          // A link may lead out of the tree (`settings.py -> ~/.env`): not read unless asked.
          const bool outside = link && !below_any(real_path(p), real_roots);
          if (outside && !options.follow_links) {
            r.warnings.push_back(clean(p) + ": symbolic link to a file outside the scanned paths; not followed "
                                            "(--follow-links follows it)");
            continue;
          }
          add_file(p, es, link, outside);
        }
      }
      if (read_error) r.warnings.push_back(clean(dir) + ": cannot read directory: " + std::strerror(read_error));
      closedir(d);
      std::sort(subdirs.rbegin(), subdirs.rend());
      for (auto& s : subdirs) stack.push_back(std::move(s));
    }
  }
  // One entry per file (device and inode): 60 links to one big file are one file to scan.
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    return std::tie(a.dev, a.ino, a.link, a.file.path) < std::tie(b.dev, b.ino, b.link, b.file.path);
  });
  for (size_t i = 0; i < candidates.size(); ++i)
    if (i == 0 || candidates[i].dev != candidates[i - 1].dev || candidates[i].ino != candidates[i - 1].ino)
      r.files.push_back(std::move(candidates[i].file));
  std::sort(r.files.begin(), r.files.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
  return r;
}

}  // namespace raceaudit
