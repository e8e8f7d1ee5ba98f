// Report options and formats end to end: --format names, --output-file,
// --quiet, --color and NO_COLOR, exit codes, and what each writer escapes
// (GitHub workflow commands, markdown, multi-line carets).
#include <gtest/gtest.h>

#include "e2e/run_binary.h"
#include "report/support.h"

namespace raceaudit::testing {
namespace {

const std::string kGolden = std::string(RACEAUDIT_SOURCE_DIR) + "/tests/golden";

const char* const kCounter = kCounterModule;

RunResult scan(const std::string& cwd, const std::vector<std::string>& extra, const std::vector<std::string>& env = {}) {
  std::vector<std::string> args{"scan", "--isolated"};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_raceaudit(args, cwd, env);
}

TEST(Report, UnknownFormatIsAUsageError) {
  const auto r = scan(kGolden, {"--format", "xml", "project"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("raceaudit: error:"), std::string::npos) << r.err;
}

TEST(Report, ExitCodesAreTheSameForEveryFormat) {
  TempDir clean;
  clean.write("m.py", "x = 1\n");
  for (const char* format : {"text", "json", "sarif", "github", "markdown"}) {
    EXPECT_EQ(scan(kGolden, {"--format", format, "project"}).exit_code, 1) << format;
    EXPECT_EQ(scan(kGolden, {"--format", format, "--exit-zero", "project"}).exit_code, 0) << format;
    EXPECT_EQ(scan(clean.path, {"--format", format, "."}).exit_code, 0) << format;
    EXPECT_EQ(scan(clean.path, {"--format", format, "missing"}).exit_code, 2) << format;
  }
}

TEST(Report, EmptyReports) {
  TempDir d;
  d.write("m.py", "x = 1\n");
  EXPECT_EQ(scan(d.path, {"."}).out, "No hazards found in 1 file.\n");
  EXPECT_EQ(scan(d.path, {"--format", "json", "."}).out, "[]\n");
  EXPECT_EQ(scan(d.path, {"--format", "github", "."}).out, "");
  EXPECT_EQ(scan(d.path, {"--format", "markdown", "."}).out, "# raceaudit report\n\nNo hazards found in 1 file.\n");
  EXPECT_EQ(scan(d.path, {"--quiet", "."}).out, "");
}

TEST(Report, OutputFileGetsTheReportAndStdoutStaysEmpty) {
  TempDir d;
  const std::string file = d.path + "/out/report.json";
  d.write("out/.keep", "");
  const auto r = scan(kGolden, {"--format", "json", "--output-file", file, "project"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(read_text(file), scan(kGolden, {"--format", "json", "project"}).out);
  const auto bad = scan(kGolden, {"--output-file", d.path + "/no/such/dir/r.txt", "project"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.err, "raceaudit: error: cannot write " + d.path + "/no/such/dir/r.txt: No such file or directory\n");
}

TEST(Report, QuietDropsTheSummaryButNotTheFindings) {
  const auto r = scan(kGolden, {"--quiet", "project"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find(": RA001 "), std::string::npos);
  EXPECT_EQ(r.out.find("Found "), std::string::npos) << r.out;
}

TEST(Report, ColourOnlyWhenAskedOrOnATerminal) {
  const auto always = scan(kGolden, {"--color", "always", "project"});
  EXPECT_NE(always.out.find("\x1b[31mRA001\x1b[0m"), std::string::npos) << always.out;
  const auto never = scan(kGolden, {"--color", "never", "project"});
  EXPECT_EQ(never.out.find('\x1b'), std::string::npos);
  const auto piped = scan(kGolden, {"project"});
  EXPECT_EQ(piped.out.find('\x1b'), std::string::npos) << "auto: stdout is a pipe here";
  const auto no_color = scan(kGolden, {"--color", "auto", "project"}, {"NO_COLOR=1"});
  EXPECT_EQ(no_color.out.find('\x1b'), std::string::npos);
  const auto file_always = scan(kGolden, {"--color", "always", "--format", "json", "project"});
  EXPECT_EQ(file_always.out.find('\x1b'), std::string::npos) << "machine formats never carry colour";
}

// `script` (util-linux) gives the scan a terminal for stdout.
TEST(Report, ColourAutoOnATerminalUnlessNoColor) {
  if (run_shell("command -v script").exit_code != 0) GTEST_SKIP() << "no `script` to provide a terminal";
  const std::string scan_cmd = "cd " + shell_quote(kGolden) + " && " + shell_quote(RACEAUDIT_BINARY) +
                               " scan --isolated project";
  const auto tty = run_shell("env -u NO_COLOR script -qec " + shell_quote(scan_cmd) + " /dev/null");
  EXPECT_NE(tty.output.find("\x1b[31mRA001\x1b[0m"), std::string::npos) << tty.output;
  const auto no_color = run_shell("NO_COLOR=1 script -qec " + shell_quote(scan_cmd) + " /dev/null");
  EXPECT_NE(no_color.output.find("RA001"), std::string::npos) << no_color.output;
  EXPECT_EQ(no_color.output.find("\x1b["), std::string::npos) << no_color.output;
}

TEST(Report, GithubCommandsEscapePropertiesAndData) {
  TempDir d;
  d.write("we,ird:100%.py", kCounter);
  const auto r = scan(d.path, {"--format", "github", "."});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out.rfind("::warning file=we%2Cird%3A100%25.py,line=9,endLine=9,col=9,endColumn=18,title=RA001 "
                        "unsynchronized-read-modify-write::read-modify-write of `self.hits`",
                        0),
            0u)
      << r.out;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << "one command per finding: " << r.out;
  EXPECT_NE(r.out.find("[high]%0Afix: hold a lock"), std::string::npos) << r.out;
}

TEST(Report, GithubLevelsFollowSymptomAndConfidence) {
  const auto r = scan(kGolden, {"--format", "github", "project"});
  EXPECT_NE(r.out.find("::error file=project/ledger/accounts.py,line=41,"), std::string::npos) << "RA003 crashes";
  EXPECT_NE(r.out.find("::warning file=project/ledger/accounts.py,line=29,"), std::string::npos) << "RA001 is silent";
  TempDir d;
  d.write("m.py", "class Plain:\n    def __init__(self):\n        self.n = 0\n\n    def bump(self):\n        self.n += 1\n");
  const auto low = scan(d.path, {"--format", "github", "--min-confidence", "low", "."});
  EXPECT_EQ(low.out.rfind("::notice file=m.py,line=6,", 0), 0u) << low.out;
}

TEST(Report, MarkdownEscapesNamesAndFencesCode) {
  TempDir d;
  d.write("m.py",
          "import threading\n\nclass Store:\n    instances = 0\n\n    def __init__(self):\n"
          "        self._lock = threading.Lock()\n"
          "        type(self).instances += 1  # see ```notes```\n");
  const auto r = scan(d.path, {"--format", "markdown", "."});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("Store.\\_\\_init\\_\\_"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("````python\ntype(self).instances += 1  # see ```notes```\n````\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("| class attribute written at run time | [RA006](#ra006-class-attribute-written-at-run-time) | 1 |"),
            std::string::npos)
      << r.out;
}

TEST(Report, ShowSourceCaretForASpanOverSeveralLines) {
  TempDir d;
  d.write("m.py",
          "import heapq\nimport threading\n\nclass Pool:\n    def __init__(self):\n"
          "        self._lock = threading.Lock()\n        self.free = []\n\n"
          "    def release(self, n):\n        heapq.heappush(\n            self.free, n)\n");
  const auto r = scan(d.path, {"--show-source", "."});
  EXPECT_NE(r.out.find("  10 |         heapq.heappush(\n     |         ^^^^^^^^^^^^^^^\n"), std::string::npos)
      << "a span that goes on past the line is underlined to its end: " << r.out;
}

}  // namespace
}  // namespace raceaudit::testing
