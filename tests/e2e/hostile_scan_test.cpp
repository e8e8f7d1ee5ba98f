// Hostile input for `raceaudit scan`, second part (issue 16): what a scanned
// tree can make the scan write, read or print. A baseline's temp file that is
// a symlink or a FIFO, file symlinks that leave the scanned paths, file names
// that carry control characters or workflow commands, one file behind many
// links. Helpers: e2e/hostile_support.h.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "e2e/hostile_support.h"
#include "e2e/run_binary.h"

namespace raceaudit::testing {
namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// ---- item 1: the baseline's temporary file ------------------------------------

TEST(HostileScan, BaselineTempFileSymlinkIsNotFollowed) {
  TempDir d, outside;
  const std::string victim = outside.write("bashrc", "keep me\n");
  fs::create_symlink(victim, fs::path(d.path) / "raceaudit-baseline.json.tmp");
  d.write("counter.py", kCounter);
  const Outcome o = run_with_deadline({"scan", "--write-baseline", "raceaudit-baseline.json", "."}, d.path, 30);
  EXPECT_TRUE(clean(o));
  EXPECT_EQ(o.r.exit_code, 0) << o.r.err;
  EXPECT_EQ(slurp(victim), "keep me\n") << "the link's target was overwritten";
  EXPECT_TRUE(fs::is_symlink(fs::path(d.path) / "raceaudit-baseline.json.tmp")) << "a file not ours was removed";
  const nlohmann::json b = nlohmann::json::parse(slurp(fs::path(d.path) / "raceaudit-baseline.json"), nullptr, false);
  ASSERT_TRUE(b.is_object()) << slurp(fs::path(d.path) / "raceaudit-baseline.json");
  EXPECT_EQ(b["findings"].size(), 1u);
}

TEST(HostileScan, BaselineTempFileFifoDoesNotHang) {
  TempDir d;
  ASSERT_EQ(mkfifo((d.path + "/raceaudit-baseline.json.tmp").c_str(), 0644), 0) << std::strerror(errno);
  d.write("counter.py", kCounter);
  const Outcome o = run_with_deadline({"scan", "--write-baseline", "raceaudit-baseline.json", "."}, d.path, 30);
  EXPECT_TRUE(clean(o));
  EXPECT_EQ(o.r.exit_code, 0) << o.r.err;
  EXPECT_TRUE(fs::is_regular_file(fs::path(d.path) / "raceaudit-baseline.json"));
}

TEST(HostileScan, ConcurrentBaselineWritersEachLeaveAWholeFile) {
  TempDir d;
  d.write("counter.py", kCounter);
  std::vector<std::future<Outcome>> runs;
  for (int i = 0; i < 6; ++i)
    runs.push_back(std::async(std::launch::async, [&d] {
      return run_with_deadline({"scan", "--write-baseline", "b.json", "."}, d.path, 60);
    }));
  for (auto& r : runs) {
    const Outcome o = r.get();
    EXPECT_TRUE(clean(o));
    EXPECT_EQ(o.r.exit_code, 0) << o.r.err;
  }
  EXPECT_TRUE(nlohmann::json::parse(slurp(fs::path(d.path) / "b.json"), nullptr, false).is_object());
  for (const auto& e : fs::directory_iterator(d.path))
    EXPECT_FALSE(has(e.path().filename().string(), ".tmp")) << "left behind: " << e.path();
}

// ---- item 2: file symlinks that leave the scanned paths ------------------------

TEST(HostileScan, FileSymlinkLeavingTheTreeIsNotFollowed) {
  TempDir d, outside;
  const std::string secret = outside.write("env.py", "TOKEN = hunter2secret (((\n");
  fs::create_symlink(secret, fs::path(d.path) / "settings.py");
  fs::create_symlink("/proc/self/environ", fs::path(d.path) / "environ.py");
  d.write("inner/real.py", kCounter);
  fs::create_symlink("inner/real.py", fs::path(d.path) / "alias.py");  // stays inside: followed
  d.write("counter.py", kCounter);
  const Outcome o = run_with_deadline({"scan", "--format", "sarif", "-o", "out.sarif", "."}, d.path);
  EXPECT_TRUE(clean(o));
  EXPECT_EQ(o.r.exit_code, 1) << o.r.err;
  EXPECT_TRUE(diagnostic_about(o, "settings.py", "--follow-links")) << o.r.err;
  EXPECT_TRUE(diagnostic_about(o, "environ.py", "--follow-links")) << o.r.err;
  const std::string sarif = slurp(fs::path(d.path) / "out.sarif");
  for (const std::string& text : {o.r.err, sarif}) EXPECT_FALSE(has(text, "hunter2")) << text.substr(0, 3000);
  EXPECT_TRUE(has(sarif, "inner/real.py")) << "an in-tree link is still scanned";

  // --follow-links reads it, but never echoes its text.
  const Outcome f = run_with_deadline({"scan", "--follow-links", "--format", "sarif", "-o", "f.sarif", "."}, d.path);
  EXPECT_TRUE(clean(f));
  EXPECT_TRUE(diagnostic_about(f, "settings.py", "syntax error")) << f.r.err;
  const std::string followed = slurp(fs::path(d.path) / "f.sarif");
  for (const std::string& text : {f.r.err, followed}) EXPECT_FALSE(has(text, "hunter2")) << text.substr(0, 3000);
}

// ---- item 3: control characters and workflow commands in names -----------------

TEST(HostileScan, ControlCharactersInPathsAreEscaped) {
  TempDir d;
  d.write("nl\nfake.py:1:1: RA999 injected [high]\nx.py", kCounter);
  d.write("esc\x1b]0;pwned\x07.py", kCounter);
  d.write("::error file=a.py::pwned.py", kCounter);
  d.write("bad\x1b[2Jsyntax.py", "def broken(:\n");
  for (const std::string format : {"text", "github"}) {
    d.write("counter.py", kCounter);
    const Outcome o = run_with_deadline({"scan", "--format", format, "."}, d.path);
    EXPECT_TRUE(clean(o));
    EXPECT_EQ(o.r.exit_code, 1) << o.r.err;
    for (const std::string& text : {o.r.out, o.r.err}) {
      EXPECT_FALSE(has(text, "\x1b")) << format << ": an escape sequence reached the terminal";
      for (const auto& l : lines_of(text)) {
        EXPECT_NE(l.rfind("fake.py", 0), 0u) << format << ": a file name added a line: " << l;
        EXPECT_NE(l.rfind("x.py", 0), 0u) << format << ": a file name added a line: " << l;
        if (format == "text") EXPECT_NE(l.rfind("::", 0), 0u) << "a workflow command: " << l;
      }
    }
  }
}

TEST(HostileScan, ControlCharactersInBaselineNotesAreEscaped) {
  TempDir d;
  d.write("counter.py", kCounter);
  d.write("b.json", R"({"raceaudit_baseline": 1, "findings": [{"fingerprint": "0", "code": "RA001",
    "filename": "counter.py", "scope": "x\n::error file=a::pwned", "target": "\u001b]0;t\u0007"}]})");
  const Outcome o = run_with_deadline({"scan", "--baseline", "b.json", "."}, d.path);
  EXPECT_TRUE(clean(o));
  EXPECT_TRUE(diagnostic_about(o, "b.json", "matched no finding")) << o.r.err;
  EXPECT_FALSE(has(o.r.err, "\x1b")) << o.r.err;
}

// ---- item 7: one file behind many links ---------------------------------------

TEST(HostileScan, OneFileBehindManyLinksIsScannedOnce) {
  TempDir d;
  d.write("real.py", kCounter);
  for (int i = 0; i < 60; ++i) fs::create_symlink("real.py", fs::path(d.path) / ("link" + std::to_string(i) + ".py"));
  ASSERT_EQ(link((d.path + "/real.py").c_str(), (d.path + "/hard.py").c_str()), 0) << std::strerror(errno);
  const Outcome o = scan_beside(d);
  EXPECT_FALSE(has(o.r.out, "link")) << "the file itself, not a link, is reported:\n" << o.r.out.substr(0, 2000);
  EXPECT_TRUE(has(o.r.out, "Found 2 hazards")) << o.r.out.substr(0, 2000);
  EXPECT_TRUE(has(o.r.out, "in 2 files")) << o.r.out.substr(o.r.out.size() > 300 ? o.r.out.size() - 300 : 0);
}

}  // namespace
}  // namespace raceaudit::testing
