// Inputs the fuzzer found (tests/fuzz-regressions/, see its README.md) stay
// fixed: each is replayed
//   1. through the fuzz target's own pipeline (`scan_fuzz_replay`, built from
//      fuzz/ in every build without RACEAUDIT_FUZZ): same stack limit, depth
//      bound and invariant checks as the fuzzer;
//   2. through the raceaudit binary, split into files the way the fuzzer
//      splits it (fuzz/fuzz_input.h), scanned with --min-confidence low.
// Both must end cleanly: no signal, no sanitizer report, no hang.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <dirent.h>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "../../fuzz/fuzz_input.h"
#include "e2e/run_binary.h"

extern char** environ;

namespace raceaudit::testing {
namespace {

namespace fs = std::filesystem;

const fs::path kRegressions = fs::path(RACEAUDIT_SOURCE_DIR) / "tests" / "fuzz-regressions";

double deadline_seconds(double base) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  base *= 3;
#endif
  if (const char* s = std::getenv("RACEAUDIT_TEST_TIME_SCALE"); s && *s) base *= std::max(0.1, std::atof(s));
  return base;
}

std::vector<fs::path> inputs() {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(kRegressions, ec))
    if (e.is_regular_file() && e.path().extension() != ".md") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

struct Ran {
  int exit_code = -1;  // 128+signal when killed by one
  bool timed_out = false;
  std::string output;  // stdout and stderr together
};

// Runs a program with a deadline; its output goes to a file in `scratch`.
Ran run_program(const std::vector<std::string>& argv_s, const TempDir& scratch, double seconds) {
  const std::string out_path = scratch.path + "/program-output.txt";
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  std::vector<std::string> args = argv_s;
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  Ran r;
  pid_t pid = 0;
  if (posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ) != 0) {
    posix_spawn_file_actions_destroy(&fa);
    r.output = "cannot start " + args[0];
    return r;
  }
  posix_spawn_file_actions_destroy(&fa);
  const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  int status = 0;
  for (;;) {
    const pid_t w = waitpid(pid, &status, WNOHANG);
    if (w == pid) break;
    if (std::chrono::steady_clock::now() > end) {
      r.timed_out = true;
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.output = read_all(out_path);
  return r;
}

// SIGKILLs this process's children that run the raceaudit binary (the ones
// run_raceaudit started), so that a hung scan cannot block the test.
void kill_raceaudit_children() {
  std::error_code ec;
  const fs::path binary = fs::weakly_canonical(RACEAUDIT_BINARY, ec);
  DIR* d = opendir("/proc");
  if (!d) return;
  while (dirent* e = readdir(d)) {
    const pid_t pid = static_cast<pid_t>(std::atoi(e->d_name));
    if (pid <= 0) continue;
    const std::string stat = read_all("/proc/" + std::to_string(pid) + "/stat");
    const size_t p = stat.rfind(')');
    if (p == std::string::npos) continue;
    std::istringstream rest(stat.substr(p + 1));
    std::string state;
    pid_t ppid = 0;
    rest >> state >> ppid;
    if (ppid == getpid() && fs::read_symlink("/proc/" + std::to_string(pid) + "/exe", ec) == binary && !ec)
      kill(pid, SIGKILL);
  }
  closedir(d);
}

bool sanitizer_report(const std::string& s) {
  return s.find("Sanitizer") != std::string::npos || s.find("runtime error:") != std::string::npos ||
         s.find("invariant violated") != std::string::npos;
}

TEST(FuzzRegressions, ThereAreInputsToReplay) {
  EXPECT_FALSE(inputs().empty()) << "no inputs in " << kRegressions;
}

TEST(FuzzRegressions, InputsRunCleanlyThroughTheFuzzPipeline) {
#ifdef RACEAUDIT_FUZZ_REPLAY
  const fs::path replay = RACEAUDIT_FUZZ_REPLAY;  // built before e2e_tests (tests/CMakeLists.txt)
  ASSERT_TRUE(fs::exists(replay)) << replay << " is missing: build the scan_fuzz_replay target";
#else
  GTEST_SKIP() << "scan_fuzz_replay is not part of this build (RACEAUDIT_FUZZ=ON builds the libFuzzer target instead)";
#endif
  TempDir scratch;
  for (const auto& input : inputs()) {
    SCOPED_TRACE(input.filename().string());
    const Ran r = run_program({replay.string(), input.string()}, scratch, deadline_seconds(60));
    EXPECT_FALSE(r.timed_out) << "hang";
    EXPECT_EQ(r.exit_code, 0) << r.output.substr(0, 6000);
    EXPECT_FALSE(sanitizer_report(r.output)) << r.output.substr(0, 6000);
  }
}

TEST(FuzzRegressions, InputsRunCleanlyThroughTheBinary) {
  for (const auto& input : inputs()) {
    SCOPED_TRACE(input.filename().string());
    TempDir d;
    for (const auto& f : fuzz::split_fuzz_input(read_all(input))) d.write(f.path, f.bytes);
    auto fut = std::async(std::launch::async, [&] {
      return run_raceaudit({"scan", "--min-confidence", "low", "--jobs", "2", "."}, d.path);
    });
    const bool hung =
        fut.wait_for(std::chrono::duration<double>(deadline_seconds(60))) == std::future_status::timeout;
    if (hung) kill_raceaudit_children();
    const RunResult r = fut.get();
    EXPECT_FALSE(hung) << "raceaudit scan did not finish: a hang";
    EXPECT_LT(r.exit_code, 2) << r.err.substr(0, 6000);
    EXPECT_FALSE(sanitizer_report(r.err)) << r.err.substr(0, 6000);
  }
}

}  // namespace
}  // namespace raceaudit::testing
