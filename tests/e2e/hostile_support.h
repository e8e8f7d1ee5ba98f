// Shared by the hostile-input tests (hostile_*_test.cpp): running the binary
// with a deadline, what a clean outcome is, and the ordinary neighbour file.
#pragma once

#include <gtest/gtest.h>
#include <dirent.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>
#include <string>
#include <vector>

#include "e2e/run_binary.h"

namespace raceaudit::testing {

namespace fs = std::filesystem;

// ---- running with a deadline ------------------------------------------------

inline double time_scale() {
  double scale = 1.0;
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  scale = 3.0;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
  scale = 3.0;
#endif
#endif
  if (const char* s = std::getenv("RACEAUDIT_TEST_TIME_SCALE"); s && *s) scale = std::max(0.1, std::atof(s));
  return scale;
}

// Kills (SIGKILL) the children of this process that run the raceaudit binary
// (`program`): only the ones run_raceaudit started.
inline void kill_raceaudit_children(const std::string& program) {
  std::error_code ec;
  const fs::path binary = fs::weakly_canonical(program, ec);
  DIR* d = opendir("/proc");
  if (!d) return;
  while (dirent* e = readdir(d)) {
    const pid_t pid = static_cast<pid_t>(std::atoi(e->d_name));
    if (pid <= 0) continue;
    std::ifstream stat_file("/proc/" + std::to_string(pid) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(stat_file)), std::istreambuf_iterator<char>());
    const size_t close_paren = stat.rfind(')');
    if (close_paren == std::string::npos) continue;
    std::istringstream rest(stat.substr(close_paren + 1));
    std::string state;
    pid_t ppid = 0;
    rest >> state >> ppid;
    if (ppid != getpid()) continue;
    const fs::path exe = fs::read_symlink("/proc/" + std::to_string(pid) + "/exe", ec);
    if (!ec && exe == binary) kill(pid, SIGKILL);
  }
  closedir(d);
}

struct Outcome {
  RunResult r;
  bool timed_out = false;
  double seconds = 0;
};

inline Outcome run_with_deadline(const std::vector<std::string>& args, const std::string& cwd, double base_seconds = 60,
                          const RunOptions& how = {}) {
  const double limit = base_seconds * time_scale();
  const auto start = std::chrono::steady_clock::now();
  auto fut = std::async(std::launch::async, [args, cwd, how] { return run_raceaudit(args, cwd, {}, how); });
  Outcome o;
  if (fut.wait_for(std::chrono::duration<double>(limit)) == std::future_status::timeout) {
    o.timed_out = true;
    kill_raceaudit_children(how.binary);
  }
  o.r = fut.get();
  o.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return o;
}

// ---- what a clean outcome is ------------------------------------------------

inline std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

// No hang, no signal, no sanitizer report, and stderr made only of
// `raceaudit: warning|error: ...` lines.
inline ::testing::AssertionResult clean(const Outcome& o) {
  if (o.timed_out)
    return ::testing::AssertionFailure() << "raceaudit did not finish within the deadline (" << o.seconds
                                         << " s; killed): a hang";
  if (o.r.exit_code >= 126)
    return ::testing::AssertionFailure() << "raceaudit died: exit " << o.r.exit_code << " (128+signal)\nstderr:\n"
                                         << o.r.err.substr(0, 4000);
  for (const char* bad : {"Sanitizer", "runtime error:", "terminate called", "Segmentation fault", "Aborted"})
    if (o.r.err.find(bad) != std::string::npos)
      return ::testing::AssertionFailure() << "stderr has `" << bad << "`:\n" << o.r.err.substr(0, 4000);
  for (const auto& l : lines_of(o.r.err))
    if (l.rfind("raceaudit: warning: ", 0) != 0 && l.rfind("raceaudit: error: ", 0) != 0 &&
        l.rfind("raceaudit: note: ", 0) != 0 && l.rfind("raceaudit: wrote ", 0) != 0)
      return ::testing::AssertionFailure() << "stderr line is not a one-line diagnostic: `" << l.substr(0, 300) << "`";
  return ::testing::AssertionSuccess();
}

inline bool has(const std::string& haystack, const std::string& needle) { return haystack.find(needle) != std::string::npos; }

// A stderr line about `file` that contains `what`.
inline bool diagnostic_about(const Outcome& o, const std::string& file, const std::string& what) {
  for (const auto& l : lines_of(o.r.err))
    if (has(l, file) && has(l, what)) return true;
  return false;
}

// ---- the ordinary neighbour ------------------------------------------------

inline const char* const kCounter = kCounterModule;
inline const char* kCounterFinding = "counter.py:9:9: RA001 ";

// Scans `dir` (which holds counter.py and something hostile) and checks the
// common part: clean, exit 1, the neighbour's finding present.
inline Outcome scan_beside(const TempDir& d, std::vector<std::string> extra_args = {}, double deadline = 60,
                    const RunOptions& how = {}) {
  d.write("counter.py", kCounter);
  std::vector<std::string> args{"scan", "--jobs", "2"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  args.push_back(".");
  Outcome o = run_with_deadline(args, d.path, deadline, how);
  EXPECT_TRUE(clean(o));
  EXPECT_EQ(o.r.exit_code, 1) << o.r.out.substr(0, 2000) << o.r.err.substr(0, 2000);
  EXPECT_TRUE(has(o.r.out, kCounterFinding)) << "the neighbour's finding is missing:\n" << o.r.out.substr(0, 2000);
  return o;
}

inline std::string repeat(const std::string& s, size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (size_t i = 0; i < n; ++i) out += s;
  return out;
}

inline std::string counter_with_eol(const std::string& eol) {
  std::string out;
  for (const auto& l : lines_of(kCounter)) out += l + eol;
  return out;
}

}  // namespace raceaudit::testing
