#include "discover/gitignore.h"

#include <git2.h>

#include <filesystem>

#include "discover/exclude.h"

namespace raceaudit {
namespace {

// libgit2 is set up once per process and never shut down (it is cheap to keep).
void init_libgit2() {
  static const int once = git_libgit2_init();
  (void)once;
}

}  // namespace

GitIgnore::GitIgnore(const std::string& start) {
  if (start.empty()) return;
  init_libgit2();
  // From the nearest existing directory: a file, or a path that is not there yet.
  std::filesystem::path dir = absolute_path(start);
  std::error_code ec;
  while (dir.has_parent_path() && dir != dir.root_path() && !std::filesystem::is_directory(dir, ec))
    dir = dir.parent_path();
  if (git_repository_open_ext(&repo_, dir.c_str(), 0, nullptr) != 0) {
    repo_ = nullptr;
    return;
  }
  const char* wd = git_repository_workdir(repo_);
  if (!wd) {  // a bare repository has no work tree to ignore files in
    git_repository_free(repo_);
    repo_ = nullptr;
    return;
  }
  workdir_ = absolute_path(wd);
}

GitIgnore::~GitIgnore() {
  if (repo_) git_repository_free(repo_);
}

bool GitIgnore::ignored(const std::string& abs_path, bool is_dir) const {
  if (!repo_) return false;
  std::string rel = relative_to(abs_path, workdir_);
  if (rel.empty() || rel == ".") return false;
  if (is_dir) rel += '/';
  int ignored = 0;
  return git_ignore_path_is_ignored(&ignored, repo_, rel.c_str()) == 0 && ignored;
}

std::string git_workdir_of(const std::string& start) { return GitIgnore(start).workdir(); }

}  // namespace raceaudit
