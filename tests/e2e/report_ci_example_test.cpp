// The pytest plugin (python/raceaudit/pytest_plugin.py, `pytest --raceaudit`)
// run for real by Debian's pytest on a copy of examples/ci, the example
// project with its committed baseline. The plugin is loaded from the source
// tree (-p raceaudit.pytest_plugin; PYTHONPATH holds only a link to
// python/raceaudit, not a raceaudit.egg-info that an sdist build leaves in
// python/ and whose entry point would load the plugin a second time) and runs
// this build's binary (RACEAUDIT); scripts/test-packaging.sh checks the
// installed one.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>

#include "e2e/run_binary.h"
#include "report/support.h"

namespace raceaudit::testing {
namespace {

const std::string kSource = RACEAUDIT_SOURCE_DIR;

struct CiProject {
  TempDir d;
  TempDir packages;
  CiProject() {
    const auto cp = run_shell("cp -R " + shell_quote(kSource + "/examples/ci/.") + ' ' + shell_quote(d.path) +
                              " && ln -s " + shell_quote(kSource + "/python/raceaudit") + ' ' +
                              shell_quote(packages.path + "/raceaudit"));
    EXPECT_EQ(cp.exit_code, 0) << cp.output;
  }

  // pytest with the plugin; exit 0 when the session passes.
  ShellResult pytest(const std::string& args = "--raceaudit") const {
    const std::string env = "PYTHONDONTWRITEBYTECODE=1 PYTHONPATH=" + shell_quote(packages.path) +
                            " RACEAUDIT=" + shell_quote(RACEAUDIT_BINARY) + ' ';
    return run_shell("cd " + shell_quote(d.path) + " && " + env +
                     "/usr/bin/python3 -m pytest -p no:cacheprovider -p raceaudit.pytest_plugin " + args);
  }

  void edit(const std::string& file, const std::function<std::string(std::string)>& change) const {
    d.write(file, change(read_text(d.path + "/" + file)));
  }
};

bool have_pytest() {
  static const bool have = run_shell("/usr/bin/python3 -m pytest --version").exit_code == 0;
  return have;
}

#define REQUIRE_PYTEST() \
  if (!have_pytest()) GTEST_SKIP() << "no pytest for /usr/bin/python3 (Debian: python3-pytest)"

TEST(CiExample, PassesOnTheBaselinedProjectWithTheReportInTheSummary) {
  REQUIRE_PYTEST();
  CiProject p;
  const auto r = p.pytest();
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("= raceaudit ="), std::string::npos) << "a raceaudit section: " << r.output;
  EXPECT_NE(r.output.find("raceaudit: no thread-race hazard beyond raceaudit-baseline.json"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("2 in the baseline"), std::string::npos) << "the scan's summary: " << r.output;
}

TEST(CiExample, WithoutTheOptionThePluginDoesNothing) {
  REQUIRE_PYTEST();
  CiProject p;
  p.edit("src/ledger/accounts.py", [](std::string s) { return s + "\n    def reopen(self):\n        self._next_id += 1\n"; });
  const auto r = p.pytest("");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output.find("= raceaudit ="), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("raceaudit: "), std::string::npos) << r.output;
}

TEST(CiExample, PassesWhenAnUnrelatedEditShiftsTheFindings) {
  REQUIRE_PYTEST();
  CiProject p;
  p.edit("src/ledger/accounts.py", [](std::string s) {
    std::string pad = "\n\ndef describe():\n    \"\"\"Unrelated helper.\"\"\"\n    return 'ledger'\n";
    while (std::count(pad.begin(), pad.end(), '\n') < 20) pad += "# more unrelated lines\n";
    return s.insert(s.find("\n\nclass AccountBook:"), pad);
  });
  const auto r = p.pytest();
  EXPECT_EQ(r.exit_code, 0) << r.output;
}

TEST(CiExample, FailsTheSessionOnANewHazardAndNamesIt) {
  REQUIRE_PYTEST();
  CiProject p;
  p.edit("src/ledger/accounts.py", [](std::string s) { return s + "\n    def reopen(self):\n        self._next_id += 1\n"; });
  const auto r = p.pytest();
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("1 passed"), std::string::npos) << "the tests themselves pass: " << r.output;
  EXPECT_NE(r.output.find("src/ledger/accounts.py:28:9: RA001"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("AccountBook.reopen"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("raceaudit: new thread-race hazards, not in raceaudit-baseline.json"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("raceaudit scan --write-baseline raceaudit-baseline.json src"), std::string::npos)
      << "tells how to accept: " << r.output;
}

TEST(CiExample, FailsWithoutABaselineAndSaysHowToWriteOne) {
  REQUIRE_PYTEST();
  CiProject p;
  std::remove((p.d.path + "/raceaudit-baseline.json").c_str());
  const auto r = p.pytest();
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("raceaudit: raceaudit-baseline.json is missing"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("raceaudit scan --write-baseline raceaudit-baseline.json src"), std::string::npos)
      << r.output;
}

TEST(CiExample, CommandLineOptionsOverrideTheIniSettings) {
  REQUIRE_PYTEST();
  CiProject p;
  const auto r = p.pytest("--raceaudit --raceaudit-baseline other.json --raceaudit-path src/ledger");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("other.json is missing"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("--write-baseline other.json src/ledger"), std::string::npos) << r.output;
}

TEST(CiExample, AScanErrorFailsTheSessionWithRaceauditsMessage) {
  REQUIRE_PYTEST();
  CiProject p;
  p.edit("pyproject.toml", [](std::string s) {  // a misspelt key in the example's [tool.raceaudit] table
    const std::string table = "[tool.raceaudit]\n";
    const size_t at = s.find(table);
    return at == std::string::npos ? s + "\n" + table + "selct = [\"RA001\"]\n"
                                   : s.insert(at + table.size(), "selct = [\"RA001\"]\n");
  });
  const auto r = p.pytest();
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("raceaudit: raceaudit could not scan (exit 2)"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("unknown key \"selct\""), std::string::npos) << r.output;
}

}  // namespace
}  // namespace raceaudit::testing
