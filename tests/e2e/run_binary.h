// Runs the raceaudit binary in a child process and captures what it printed.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace raceaudit::testing {

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// RACEAUDIT_BINARY, or $RACEAUDIT_TEST_BINARY when it is set: to run the
// tests against another build (an older one, to see a new test fail there).
std::string default_binary();

// How to start the binary: which file, and as which user. With a uid (only
// root may switch) the child drops its supplementary groups and sets gid and
// uid before it changes to `cwd` and execs, so that file permissions apply to
// it as to that user.
struct RunOptions {
  std::string binary = default_binary();
  uid_t uid = static_cast<uid_t>(-1);  // -1: the caller's
  gid_t gid = static_cast<gid_t>(-1);
};

// Runs RACEAUDIT_BINARY (or `how.binary`) with `args` in `cwd` (default: the
// source dir), with the extra environment entries `env` ("NAME=value").
RunResult run_raceaudit(const std::vector<std::string>& args, const std::string& cwd = RACEAUDIT_SOURCE_DIR,
                        const std::vector<std::string>& env = {}, const RunOptions& how = {});

// `raceaudit scan EXTRA...` in `cwd`.
inline RunResult scan_in(const std::string& cwd, const std::vector<std::string>& extra) {
  std::vector<std::string> args{"scan"};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_raceaudit(args, cwd);
}

// A module with one finding, RA001 at line 9 (high: the class has a lock),
// whatever the file is called.
inline constexpr const char* kCounterModule =
    "import threading\n"
    "\n"
    "class Counter:\n"
    "    def __init__(self):\n"
    "        self._lock = threading.Lock()\n"
    "        self.hits = 0\n"
    "\n"
    "    def hit(self):\n"
    "        self.hits += 1\n";

// A fresh temporary directory, removed by the caller's TempDir.
struct TempDir {
  std::string path;
  TempDir();
  ~TempDir();
  std::string write(const std::string& relative, const std::string& content) const;
};

}  // namespace raceaudit::testing
