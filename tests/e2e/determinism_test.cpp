// Determinism (issue 7): the same scan with --jobs 1 and --jobs 2 prints the
// same bytes, over a deterministic sample of a real code base (300 files of
// the Python standard library) and over many look-alike files. (The
// examples and fixtures are covered by Cli.OutputIsIdenticalForAnyJobs.)
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <dirent.h>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>
#include <string>
#include <vector>

#include "e2e/run_binary.h"

namespace raceaudit::testing {
namespace {

namespace fs = std::filesystem;

// ---- a deadline, so that a hang fails instead of blocking ---------------------

void kill_children_running(const fs::path& binary) {
  DIR* d = opendir("/proc");
  if (!d) return;
  while (dirent* e = readdir(d)) {
    const pid_t pid = static_cast<pid_t>(std::atoi(e->d_name));
    if (pid <= 0) continue;
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const size_t p = stat.rfind(')');
    if (p == std::string::npos) continue;
    std::istringstream rest(stat.substr(p + 1));
    std::string state;
    pid_t ppid = 0;
    rest >> state >> ppid;
    std::error_code ec;
    if (ppid == getpid() && fs::read_symlink("/proc/" + std::to_string(pid) + "/exe", ec) == binary && !ec)
      kill(pid, SIGKILL);
  }
  closedir(d);
}

RunResult run_within(const std::vector<std::string>& args, const std::string& cwd, double seconds, bool& timed_out) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  seconds *= 3;
#endif
  if (const char* s = std::getenv("RACEAUDIT_TEST_TIME_SCALE"); s && *s) seconds *= std::max(0.1, std::atof(s));
  auto fut = std::async(std::launch::async, [args, cwd] { return run_raceaudit(args, cwd); });
  timed_out = fut.wait_for(std::chrono::duration<double>(seconds)) == std::future_status::timeout;
  if (timed_out) {
    std::error_code ec;
    kill_children_running(fs::weakly_canonical(RACEAUDIT_BINARY, ec));
  }
  return fut.get();
}

// ---- the sample -----------------------------------------------------------------

uint64_t fnv1a(const std::string& s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

// Up to `n` .py files below `root`, chosen by a hash of their relative path:
// the same files on every machine that has the same tree, whatever the order
// the directory walk returns.
std::vector<std::string> sample(const fs::path& root, size_t n) {
  std::vector<std::pair<uint64_t, std::string>> all;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    const fs::path& p = it->path();
    const std::string name = p.filename().string();
    if (it->is_directory(ec) && (name == "site-packages" || name == "dist-packages" || name == "__pycache__")) {
      it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file(ec) || p.extension() != ".py") continue;
    const std::string rel = fs::relative(p, root, ec).string();
    all.emplace_back(fnv1a(rel), rel);
  }
  std::sort(all.begin(), all.end());
  if (all.size() > n) all.resize(n);
  std::vector<std::string> out;
  for (auto& [h, rel] : all) out.push_back(rel);
  std::sort(out.begin(), out.end());
  return out;
}

void expect_same_for_any_jobs(const std::vector<std::string>& scan_args, const std::string& cwd, bool expect_findings) {
  std::vector<std::string> base{"scan", "--min-confidence", "low"};
  base.insert(base.end(), scan_args.begin(), scan_args.end());
  auto with_jobs = [&](const char* jobs) {
    std::vector<std::string> a{base[0], "--jobs", jobs};
    a.insert(a.end(), base.begin() + 1, base.end());
    return a;
  };
  bool t1 = false, t2 = false;
  const RunResult one = run_within(with_jobs("1"), cwd, 120, t1);
  const RunResult two = run_within(with_jobs("2"), cwd, 120, t2);
  ASSERT_FALSE(t1) << "--jobs 1 did not finish";
  ASSERT_FALSE(t2) << "--jobs 2 did not finish";
  ASSERT_LT(one.exit_code, 2) << one.err.substr(0, 3000);
  ASSERT_EQ(one.exit_code, two.exit_code) << two.err.substr(0, 3000);
  if (expect_findings) EXPECT_FALSE(one.out.empty());
  EXPECT_EQ(one.out, two.out) << "stdout differs between --jobs 1 and --jobs 2";
  EXPECT_EQ(one.err, two.err) << "stderr (diagnostics) differs between --jobs 1 and --jobs 2";
}

TEST(Determinism, StdlibSampleIsTheSameForJobsOneAndTwo) {
  const fs::path root = "/usr/lib/python3.11";
  if (!fs::is_directory(root)) GTEST_SKIP() << root << " is not installed";
  const std::vector<std::string> files = sample(root, 300);
  ASSERT_GE(files.size(), 100u) << "too few files in " << root;
  // The sample is passed as explicit paths so that exactly these are scanned.
  expect_same_for_any_jobs(files, root.string(), true);
}

// Many files in which the same shapes repeat: findings that compare equal on
// (path, line, col, code, message) are ordered by a stable key, not by which
// worker finished first.
TEST(Determinism, ManyLookAlikeFilesAreTheSameForJobsOneAndTwo) {
  TempDir d;
  for (int i = 0; i < 400; ++i) {
    std::string body = "import threading\nLOCK = threading.Lock()\nCOUNT = 0\n\nclass Box:\n    items = []\n\n"
                       "    def __init__(self):\n        self.n = 0\n        self.seen = {}\n\n"
                       "    def bump(self, k):\n        self.n += 1\n        if k not in self.seen:\n"
                       "            self.seen[k] = 1\n        Box.items.append(k)\n\n"
                       "def tick():\n    global COUNT\n    COUNT += 1\n";
    d.write("p" + std::to_string(i % 7) + "/m" + std::to_string(i) + ".py", body);
  }
  d.write("broken.py", "def broken(:\n    pass\n");
  expect_same_for_any_jobs({"."}, d.path, true);
}

}  // namespace
}  // namespace raceaudit::testing
