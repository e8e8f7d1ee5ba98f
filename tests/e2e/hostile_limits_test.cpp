// Hostile input for `raceaudit scan`, third part (issue 16): sizes and depths
// that used to crash the scan or lose files silently. Huge and special files,
// syntax trees that exhaust memory, deeply nested baselines and pyproject
// tables, paths longer than PATH_MAX, and reports of many findings.
// Helpers: e2e/hostile_support.h.
//
// Tests that need a memory limit run the binary under `ulimit -v` through
// /bin/sh; AddressSanitizer reserves terabytes of address space, so they are
// skipped in sanitizer builds.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "e2e/hostile_support.h"
#include "e2e/run_binary.h"

namespace raceaudit::testing {
namespace {

bool sanitized() {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  return true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
  return true;
#endif
#endif
  return false;
}

// Runs raceaudit with `args` in `cwd` under an address-space limit of `mib` MiB.
Outcome run_limited(unsigned mib, const std::vector<std::string>& args, const std::string& cwd, double deadline = 60) {
  RunOptions how;
  how.binary = "/bin/sh";
  std::vector<std::string> sh{"-c", "ulimit -v " + std::to_string(mib * 1024) + " && exec \"$0\" \"$@\"",
                              RACEAUDIT_BINARY};
  sh.insert(sh.end(), args.begin(), args.end());
  return run_with_deadline(sh, cwd, deadline, how);
}

void expect_neighbour(const Outcome& o) {
  EXPECT_TRUE(clean(o));
  EXPECT_EQ(o.r.exit_code, 1) << o.r.err.substr(0, 2000);
  EXPECT_TRUE(has(o.r.out, kCounterFinding)) << o.r.out.substr(0, 2000);
}

// ---- item 4: huge and special files ---------------------------------------------

TEST(HostileLimits, SparseHundredGigabyteFileIsRefusedWithoutReading) {
  if (sanitized()) GTEST_SKIP() << "needs ulimit -v";
  TempDir d;
  d.write("counter.py", kCounter);
  const int fd = open((d.path + "/x.py").c_str(), O_WRONLY | O_CREAT, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(ftruncate(fd, off_t{100} << 30), 0) << std::strerror(errno);
  close(fd);
  const Outcome o = run_limited(1024, {"scan", "--jobs", "2", "."}, d.path);
  expect_neighbour(o);
  EXPECT_TRUE(diagnostic_about(o, "x.py", "larger than")) << o.r.err;
}

TEST(HostileLimits, ThreeHundredMegabyteFileIsRefusedWithoutReading) {
  if (sanitized()) GTEST_SKIP() << "needs ulimit -v";
  TempDir d;
  d.write("counter.py", kCounter);
  const int fd = open((d.path + "/big.py").c_str(), O_WRONLY | O_CREAT, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(ftruncate(fd, off_t{300} << 20), 0) << std::strerror(errno);
  close(fd);
  const Outcome o = run_limited(200, {"scan", "--jobs", "1", "."}, d.path);
  expect_neighbour(o);
  EXPECT_TRUE(diagnostic_about(o, "big.py", "larger than")) << o.r.err;
}

TEST(HostileLimits, SpecialFileWithoutSizeIsReadOnlyToTheLimit) {
  if (sanitized()) GTEST_SKIP() << "needs ulimit -v";
  TempDir d;
  d.write("counter.py", kCounter);
  fs::create_symlink("/proc/self/pagemap", fs::path(d.path) / "pagemap.py");
  const Outcome o = run_limited(1024, {"scan", "--jobs", "2", "pagemap.py", "counter.py"}, d.path, 120);
  expect_neighbour(o);
  EXPECT_TRUE(diagnostic_about(o, "pagemap.py", "")) << o.r.err;
}

// ---- item 5: syntax trees that exhaust memory --------------------------------

TEST(HostileLimits, ParserOutOfMemoryIsADiagnostic) {
  if (sanitized()) GTEST_SKIP() << "needs ulimit -v";
  TempDir d;
  d.write("counter.py", kCounter);
  d.write("assignments.py", repeat("x = 1\n", 2'000'000));  // 12 MB: a tree of about 2 GB
  const Outcome o = run_limited(1024, {"scan", "--jobs", "1", "."}, d.path, 120);
  expect_neighbour(o);
  EXPECT_TRUE(diagnostic_about(o, "assignments.py", "memory")) << o.r.err;
}

TEST(HostileLimits, TreeSizeIsCappedPerFile) {
  TempDir d;
  d.write("assignments.py", repeat("x = 1\n", 300'000));  // about 340 MB of tree
  const Outcome o = scan_beside(d, {"--max-tree-mib", "64"}, 120);
  EXPECT_TRUE(diagnostic_about(o, "assignments.py", "64 MiB")) << o.r.err;
}

// ---- item 6: nesting in the baseline and in pyproject.toml --------------------

TEST(HostileLimits, DeeplyNestedBaselineVersionIsAnError) {
  TempDir d;
  d.write("counter.py", kCounter);
  d.write("b.json", "{\"raceaudit_baseline\": " + std::string(100'000, '[') + std::string(100'000, ']') +
                        ", \"findings\": []}");
  const Outcome o = run_with_deadline({"scan", "--baseline", "b.json", "."}, d.path);
  EXPECT_TRUE(clean(o));
  EXPECT_EQ(o.r.exit_code, 2) << o.r.err;
  EXPECT_TRUE(diagnostic_about(o, "b.json", "nest")) << o.r.err.substr(0, 2000);
  EXPECT_LT(o.r.err.size(), 500u);
}

TEST(HostileLimits, DeeplyDottedPyprojectTableIsAnError) {
  TempDir d;
  d.write("counter.py", kCounter);
  d.write("pyproject.toml", "[" + repeat("a.", 40'000) + "a]\nx = 1\n");
  const Outcome o = run_with_deadline({"scan", "."}, d.path);
  EXPECT_TRUE(clean(o));
  EXPECT_EQ(o.r.exit_code, 2) << o.r.err;
  EXPECT_TRUE(diagnostic_about(o, "pyproject.toml", "nest")) << o.r.err.substr(0, 2000);
}

TEST(HostileLimits, DeeplyNestedPyprojectArrayIsAnError) {
  TempDir d;
  d.write("counter.py", kCounter);
  d.write("pyproject.toml", "x = " + std::string(40'000, '[') + std::string(40'000, ']') + "\n");
  const Outcome o = run_with_deadline({"scan", "."}, d.path);
  EXPECT_TRUE(clean(o));
  EXPECT_EQ(o.r.exit_code, 2) << o.r.err;
  EXPECT_TRUE(diagnostic_about(o, "pyproject.toml", "")) << o.r.err.substr(0, 2000);
}

// ---- item 8: paths longer than PATH_MAX --------------------------------------

TEST(HostileLimits, PathsLongerThanPathMaxAreScanned) {
  TempDir d;
  d.write("counter.py", kCounter);
  // 2,100 directories `dd`: a path of about 6,300 bytes. mkdirat/openat one level at a time.
  int fd = open(d.path.c_str(), O_RDONLY | O_DIRECTORY);
  ASSERT_GE(fd, 0);
  for (int i = 0; i < 2100; ++i) {
    ASSERT_EQ(mkdirat(fd, "dd", 0755), 0) << std::strerror(errno);
    const int next = openat(fd, "dd", O_RDONLY | O_DIRECTORY);
    close(fd);
    ASSERT_GE(next, 0);
    fd = next;
  }
  const int file = openat(fd, "deep.py", O_WRONLY | O_CREAT, 0644);
  ASSERT_GE(file, 0);
  ASSERT_EQ(write(file, kCounter, std::strlen(kCounter)), static_cast<ssize_t>(std::strlen(kCounter)));
  close(file);
  close(fd);
  const Outcome o = run_with_deadline({"scan", "--jobs", "2", "--show-source", "."}, d.path, 120);
  EXPECT_TRUE(clean(o));
  EXPECT_EQ(o.r.exit_code, 1) << o.r.err.substr(0, 2000);
  EXPECT_TRUE(has(o.r.out, "/deep.py:9:9: RA001")) << o.r.out.substr(0, 300) << o.r.err.substr(0, 2000);
  EXPECT_TRUE(has(o.r.out, "Found 2 hazards")) << o.r.out.substr(o.r.out.size() > 300 ? o.r.out.size() - 300 : 0);
  EXPECT_EQ(std::system(("rm -rf '" + d.path + "/dd'").c_str()), 0);  // GNU rm walks any depth
}

// ---- item 14: reports of many findings ----------------------------------------

// A module of `n` functions that each rebind their own module global: one RA007
// finding each (the generator of bench/report_memory.sh).
std::string many_global_writers(int n) {
  std::string src = "import threading\n";
  for (int i = 0; i < n; ++i) src += "G" + std::to_string(i) + " = 0\n";
  for (int i = 0; i < n; ++i) {
    const std::string g = "G" + std::to_string(i);
    src += "def f" + std::to_string(i) + "():\n    global " + g + "\n    " + g + " = 1\n";
  }
  return src;
}

size_t count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

// The text report streams; the JSON and SARIF writers must fit where it fits.
// 20,000 findings under 150 MiB: whole documents in memory needed about 240 MB
// (SARIF) and 116 MB resident (JSON), and failed with bad_alloc here.
TEST(HostileLimits, JsonAndSarifOfManyFindingsFitWhereTextFits) {
  if (sanitized()) GTEST_SKIP() << "needs ulimit -v";
  TempDir d;
  d.write("g.py", many_global_writers(20'000));
  const Outcome text = run_limited(150, {"scan", "--jobs", "1", "--format", "text", "-o", "out.txt", "g.py"}, d.path);
  ASSERT_EQ(text.r.exit_code, 1) << "the limit is too tight even for the streaming text report: " << text.r.err;
  for (const std::string format : {"json", "sarif"}) {
    const Outcome o = run_limited(150, {"scan", "--jobs", "1", "--format", format, "-o", "out." + format, "g.py"},
                                  d.path);
    EXPECT_TRUE(clean(o)) << format;
    EXPECT_EQ(o.r.exit_code, 1) << format << ": " << o.r.err;
    std::ifstream in(d.path + "/out." + format);
    const std::string report((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(count(report, "\"RA007\""), format == "json" ? 20'000u : 20'001u) << format;  // SARIF: + the rule
  }
}

}  // namespace
}  // namespace raceaudit::testing
