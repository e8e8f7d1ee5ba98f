// Golden files: every report format over the fixed project in
// tests/golden/project, compared byte for byte with tests/golden/expected/.
// The scan runs in tests/golden with relative paths and --isolated, so the
// output does not depend on the machine. To refresh after an intended
// change: RACEAUDIT_UPDATE_GOLDEN=1 build/tests/e2e_tests --gtest_filter='Golden*'
// then review `git diff tests/golden/expected` line by line.
#include <gtest/gtest.h>

#include <cctype>
#include <cstdlib>
#include <fstream>

#include "e2e/run_binary.h"
#include "report/support.h"

namespace raceaudit::testing {
namespace {

const std::string kGoldenDir = std::string(RACEAUDIT_SOURCE_DIR) + "/tests/golden";

struct GoldenCase {
  const char* expected;  // file under tests/golden/expected
  std::vector<std::string> args;
};

std::string tool_version() {
  const auto r = run_raceaudit({"--version"});
  std::string v = r.out.substr(r.out.find(' ') + 1);
  return v.substr(0, v.find_first_of(" \n"));
}

// The golden SARIF does not depend on the release or on the wording of the
// rule pages (docs/rules/*.md, checked by sarif_test.cpp): the tool version
// reads @VERSION@ and each rule's fullDescription and help read @RULE_DOC@.
std::string normalise_sarif(const std::string& out) {
  nlohmann::ordered_json log = nlohmann::ordered_json::parse(out, nullptr, false);
  if (log.is_discarded()) return out;
  auto& driver = log["runs"][0]["tool"]["driver"];
  const std::string version = tool_version();
  for (const char* key : {"version", "semanticVersion"})
    if (driver.contains(key) && driver[key] == version) driver[key] = "@VERSION@";
  for (auto& rule : driver["rules"]) {
    rule["fullDescription"]["text"] = "@RULE_DOC@";
    for (auto& [key, value] : rule["help"].items()) value = "@RULE_DOC@";
  }
  return log.dump(2, ' ', false) + "\n";
}

// Test names and messages show the golden file, not the struct's bytes.
void PrintTo(const GoldenCase& c, std::ostream* os) { *os << c.expected; }

class Golden : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(Golden, MatchesExpectedFile) {
  const GoldenCase& c = GetParam();
  std::vector<std::string> args{"scan", "--isolated"};
  args.insert(args.end(), c.args.begin(), c.args.end());
  args.push_back("project");
  const auto r = run_raceaudit(args, kGoldenDir);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.err, "") << "the golden project scans without diagnostics";
  const bool sarif = std::string(c.expected).ends_with(".sarif");
  const std::string actual = sarif ? normalise_sarif(r.out) : r.out;
  const std::string path = kGoldenDir + "/expected/" + c.expected;
  if (const char* update = std::getenv("RACEAUDIT_UPDATE_GOLDEN"); update && *update == '1') {
    std::ofstream(path, std::ios::binary) << actual;
    GTEST_SKIP() << "rewrote " << path << "; review the diff by hand";
  }
  const std::string expected = read_text(path);
  ASSERT_FALSE(expected.empty()) << "missing golden file " << path;
  EXPECT_EQ(actual, expected) << "`raceaudit scan` output differs from " << path
                              << " (RACEAUDIT_UPDATE_GOLDEN=1 rewrites it)";
}

INSTANTIATE_TEST_SUITE_P(
    Formats, Golden,
    ::testing::Values(GoldenCase{"text.txt", {}}, GoldenCase{"show-source.txt", {"--show-source"}},
                      GoldenCase{"report.json", {"--format", "json"}},
                      GoldenCase{"report.sarif", {"--format", "sarif"}},
                      GoldenCase{"github.txt", {"--format", "github"}},
                      GoldenCase{"report.md", {"--format", "markdown"}},
                      GoldenCase{"statistics.txt", {"--statistics"}},
                      GoldenCase{"statistics.json", {"--statistics", "--format", "json"}}),
    [](const ::testing::TestParamInfo<GoldenCase>& info) {
      std::string name;
      for (const char* p = info.param.expected; *p; ++p) name += std::isalnum(static_cast<unsigned char>(*p)) ? *p : '_';
      return name;
    });

// The golden project's baseline (used by the CI example test) stays in step
// with the project: writing it again gives the same file.
TEST(GoldenBaseline, CommittedBaselineIsCurrent) {
  TempDir d;
  const std::string fresh = d.path + "/baseline.json";
  const auto r = run_raceaudit({"scan", "--isolated", "--write-baseline", fresh, "project"}, kGoldenDir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string path = kGoldenDir + "/baseline.json";
  if (const char* update = std::getenv("RACEAUDIT_UPDATE_GOLDEN"); update && *update == '1') {
    std::ofstream(path, std::ios::binary) << read_text(fresh);
    GTEST_SKIP() << "rewrote " << path;
  }
  EXPECT_EQ(read_text(fresh), read_text(path)) << "RACEAUDIT_UPDATE_GOLDEN=1 rewrites " << path;
}

}  // namespace
}  // namespace raceaudit::testing
