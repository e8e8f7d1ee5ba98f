// Runs the raceaudit binary in a child process and captures what it printed.
#pragma once

#include <string>
#include <vector>

namespace raceaudit::testing {

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs RACEAUDIT_BINARY with `args` in `cwd` (default: the source dir), with
// the extra environment entries `env` ("NAME=value").
RunResult run_raceaudit(const std::vector<std::string>& args, const std::string& cwd = RACEAUDIT_SOURCE_DIR,
                        const std::vector<std::string>& env = {});

// A fresh temporary directory, removed by the caller's TempDir.
struct TempDir {
  std::string path;
  TempDir();
  ~TempDir();
  std::string write(const std::string& relative, const std::string& content) const;
};

}  // namespace raceaudit::testing
