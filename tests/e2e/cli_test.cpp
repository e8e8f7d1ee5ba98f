// End-to-end tests of the binary: exit codes, text output, selection,
// diagnostics, determinism across --jobs.
#include <gtest/gtest.h>

#include "e2e/run_binary.h"

namespace raceaudit::testing {
namespace {

const char* const kCounter = kCounterModule;

TEST(Cli, FindingsExitOneWithPathLineColumnCodeAndSummary) {
  TempDir d;
  d.write("counter.py", kCounter);
  const auto r = run_raceaudit({"scan", "counter.py"}, d.path);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.out.find("counter.py:9:9: RA001 "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Counter.hit"), std::string::npos) << "enclosing qualified name in the message: " << r.out;
  EXPECT_NE(r.out.find("self.hits"), std::string::npos) << "shared location in the message: " << r.out;
  EXPECT_NE(r.out.find("Found 1 hazard"), std::string::npos) << r.out;
}

TEST(Cli, NothingFoundExitsZero) {
  TempDir d;
  d.write("clean.py", "def f(x):\n    y = x + 1\n    return y\n");
  const auto r = run_raceaudit({"scan", d.path});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("No hazards found in 1 file"), std::string::npos) << r.out;
}

TEST(Cli, ExitZeroFlag) {
  TempDir d;
  d.write("counter.py", kCounter);
  EXPECT_EQ(run_raceaudit({"scan", "--exit-zero", d.path}).exit_code, 0);
}

TEST(Cli, MissingPathIsAnErrorWithOneLine) {
  const auto r = run_raceaudit({"scan", "/nonexistent/raceaudit/path"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find("raceaudit: error: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("/nonexistent/raceaudit/path"), std::string::npos) << r.err;
}

TEST(Cli, UnknownOptionIsAUsageError) {
  const auto r = run_raceaudit({"scan", "--no-such-flag"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("raceaudit: error:"), std::string::npos) << r.err;
}

TEST(Cli, UnknownRuleSelectorIsAUsageError) {
  const auto r = run_raceaudit({"scan", "--select", "RA999", "examples"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("RA999"), std::string::npos) << r.err;
}

TEST(Cli, SelectAndIgnoreFilterRules) {
  TempDir d;
  d.write("m.py", std::string(kCounter) + "\nLEVEL = 0\n\ndef set_level(n):\n    global LEVEL\n    LEVEL = n\n");
  auto all = run_raceaudit({"scan", d.path});
  EXPECT_NE(all.out.find("RA001"), std::string::npos);
  EXPECT_NE(all.out.find("RA007"), std::string::npos);
  auto only7 = run_raceaudit({"scan", "--select", "RA007", d.path});
  EXPECT_EQ(only7.out.find("RA001"), std::string::npos) << only7.out;
  EXPECT_NE(only7.out.find("RA007"), std::string::npos);
  auto no7 = run_raceaudit({"scan", "--ignore", "RA007", d.path});
  EXPECT_NE(no7.out.find("RA001"), std::string::npos);
  EXPECT_EQ(no7.out.find("RA007"), std::string::npos) << no7.out;
}

TEST(Cli, SyntaxErrorGetsADiagnosticAndTheRestIsScanned) {
  TempDir d;
  d.write("broken.py", "def broken(:\n    pass\n\nclass C:\n    def __init__(self):\n        self._lock = None\n");
  d.write("counter.py", kCounter);
  const auto r = run_raceaudit({"scan", d.path});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("broken.py:1:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("syntax error"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("counter.py:9:9: RA001"), std::string::npos) << "the other file is still scanned: " << r.out;
}

TEST(Cli, SyntaxErrorFileIsStillAnalysedPastTheError) {
  TempDir d;
  d.write("half.py", std::string("x = (\n\n") + kCounter);
  const auto r = run_raceaudit({"scan", d.path});
  EXPECT_NE(r.err.find("syntax error"), std::string::npos) << r.err;
}

TEST(Cli, OutputIsIdenticalForAnyJobs) {
  const auto one = run_raceaudit({"scan", "--min-confidence", "low", "--jobs", "1", "examples", "tests/fixtures"});
  const auto two = run_raceaudit({"scan", "--min-confidence", "low", "--jobs", "2", "examples", "tests/fixtures"});
  const auto four = run_raceaudit({"scan", "--min-confidence", "low", "--jobs", "4", "examples", "tests/fixtures"});
  EXPECT_EQ(one.exit_code, 1);
  EXPECT_FALSE(one.out.empty());
  EXPECT_EQ(one.out, two.out);
  EXPECT_EQ(one.out, four.out);
}

// Every rule of src/rules/rules.def, as the binary's users name them.
const char* const kRuleCodes[] = {
#define RULE(code, make) #code,
#include "rules/rules.def"
#undef RULE
};

TEST(Cli, RuleListsEveryRuleAndExplainsOne) {
  const auto list = run_raceaudit({"rule"});
  EXPECT_EQ(list.exit_code, 0);
  for (const char* c : kRuleCodes)
    EXPECT_NE(list.out.find(c), std::string::npos) << c;
  const auto one = run_raceaudit({"rule", "RA003"});
  EXPECT_EQ(one.exit_code, 0);
  EXPECT_NE(one.out.find("## What it does"), std::string::npos) << one.out;
  EXPECT_NE(one.out.find("## Why is this bad"), std::string::npos) << one.out;
  EXPECT_NE(one.out.find("## Example"), std::string::npos) << one.out;
  EXPECT_NE(one.out.find("## Use instead"), std::string::npos) << one.out;
  const auto bad = run_raceaudit({"rule", "RA999"});
  EXPECT_EQ(bad.exit_code, 2);
}

TEST(Cli, DirectoryDiscoverySkipsVenvsCachesAndGit) {
  TempDir d;
  d.write("pkg/mod.py", kCounter);
  d.write(".git/hooks/x.py", kCounter);
  d.write("__pycache__/x.py", kCounter);
  d.write("node_modules/x.py", kCounter);
  d.write("env/pyvenv.cfg", "home = /usr\n");
  d.write("env/lib/x.py", kCounter);
  const auto r = run_raceaudit({"scan", d.path});
  EXPECT_NE(r.out.find("in 1 file"), std::string::npos) << r.out;
}

TEST(Cli, FileNamedExplicitlyIsScannedWhateverItsName) {
  TempDir d;
  const std::string p = d.write("script_without_suffix", kCounter);
  const auto r = run_raceaudit({"scan", p});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("RA001"), std::string::npos);
}

}  // namespace
}  // namespace raceaudit::testing
