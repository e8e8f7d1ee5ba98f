// Git's ignore rules (.gitignore files, .git/info/exclude, core.excludesFile)
// through libgit2, for the repository that holds the scanned paths. Outside a
// git repository nothing is ignored: .gitignore files mean something only to
// git (ripgrep's and ruff's default, `require_git`).
#pragma once

#include <memory>
#include <string>

struct git_repository;

namespace raceaudit {

class GitIgnore {
 public:
  // Opens the repository that contains `start` (searching upwards); none
  // found leaves the object inactive.
  explicit GitIgnore(const std::string& start);
  ~GitIgnore();
  GitIgnore(const GitIgnore&) = delete;
  GitIgnore& operator=(const GitIgnore&) = delete;

  bool active() const { return repo_ != nullptr; }
  // The work tree's top directory (absolute, no trailing slash), "" when inactive.
  const std::string& workdir() const { return workdir_; }
  // Is the file or directory `abs_path` (absolute, lexically normal) ignored?
  bool ignored(const std::string& abs_path, bool is_dir) const;

 private:
  git_repository* repo_ = nullptr;
  std::string workdir_;
};

// The top of the git work tree that holds `start`, or "".
std::string git_workdir_of(const std::string& start);

}  // namespace raceaudit
