// examples/ci/test_no_new_races.py, run for real (under pytest when it is
// installed, else as a plain script) against a copy of tests/golden/project
// and its committed baseline, tests/golden/baseline.json.
#include <gtest/gtest.h>

#include "e2e/run_binary.h"
#include "report/support.h"

namespace raceaudit::testing {
namespace {

const std::string kSource = RACEAUDIT_SOURCE_DIR;

// A project root with project/ (the golden project), the committed baseline
// and the example test in tests/.
struct CiProject {
  TempDir d;
  CiProject() {
    const auto cp = run_shell("cp -R " + shell_quote(kSource + "/tests/golden/project") + ' ' + shell_quote(d.path) +
                              " && cp " + shell_quote(kSource + "/tests/golden/baseline.json") + ' ' +
                              shell_quote(d.path + "/raceaudit-baseline.json") + " && mkdir " +
                              shell_quote(d.path + "/tests") + " && cp " +
                              shell_quote(kSource + "/examples/ci/test_no_new_races.py") + ' ' +
                              shell_quote(d.path + "/tests/"));
    EXPECT_EQ(cp.exit_code, 0) << cp.output;
    d.write("pyproject.toml", "[project]\nname = \"ledger\"\n");
  }

  // Runs the example test; exit 0 when it passes.
  ShellResult run_example() const {
    static const bool have_pytest = run_shell("python3 -m pytest --version").exit_code == 0;
    const std::string env = "RACEAUDIT=" + shell_quote(RACEAUDIT_BINARY) + " RACEAUDIT_PATHS=project ";
    const std::string test = shell_quote(d.path + "/tests/test_no_new_races.py");
    return run_shell("cd " + shell_quote(d.path) + " && " + env +
                     (have_pytest ? "python3 -m pytest -q -p no:cacheprovider " + test : "python3 " + test));
  }

  void edit(const std::string& file, const std::function<std::string(std::string)>& change) const {
    d.write(file, change(read_text(d.path + "/" + file)));
  }
};

TEST(CiExample, PassesOnTheBaselinedProject) {
  CiProject p;
  const auto r = p.run_example();
  EXPECT_EQ(r.exit_code, 0) << r.output;
}

TEST(CiExample, PassesWhenAnUnrelatedEditShiftsTheFindings) {
  CiProject p;
  p.edit("project/ledger/accounts.py", [](std::string s) {
    std::string pad = "\n\ndef describe():\n    \"\"\"Unrelated helper.\"\"\"\n    return 'ledger'\n";
    while (std::count(pad.begin(), pad.end(), '\n') < 20) pad += "# more unrelated lines\n";
    return s.insert(s.find("\n\nclass Account:"), pad);
  });
  const auto r = p.run_example();
  EXPECT_EQ(r.exit_code, 0) << r.output;
}

TEST(CiExample, FailsOnANewHazardAndNamesIt) {
  CiProject p;
  p.edit("project/ledger/accounts.py", [](std::string s) {
    return s + "\n    def reopen(self):\n        self._next_id += 1\n";
  });
  const auto r = p.run_example();
  EXPECT_NE(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("project/ledger/accounts.py:76:9: RA001"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("AccountBook.reopen"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("raceaudit scan --write-baseline raceaudit-baseline.json project"), std::string::npos)
      << "tells how to accept: " << r.output;
}

TEST(CiExample, FailsWithoutABaseline) {
  CiProject p;
  std::remove((p.d.path + "/raceaudit-baseline.json").c_str());
  const auto r = p.run_example();
  EXPECT_NE(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("raceaudit-baseline.json is missing"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace raceaudit::testing
