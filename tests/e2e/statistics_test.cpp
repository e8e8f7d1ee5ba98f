// --statistics: a count per rule and confidence instead of the findings.
#include <gtest/gtest.h>

#include "e2e/run_binary.h"
#include "report/support.h"

namespace raceaudit::testing {
namespace {

const std::string kGolden = std::string(RACEAUDIT_SOURCE_DIR) + "/tests/golden";

TEST(Statistics, TableCountsEachRuleByConfidence) {
  const auto r = run_raceaudit({"scan", "--isolated", "--statistics", "project"}, kGolden);
  EXPECT_EQ(r.exit_code, 1) << "statistics do not change the exit code";
  EXPECT_EQ(r.out.find("project/"), std::string::npos) << "no findings listed: " << r.out;
  EXPECT_NE(r.out.find("count  code   rule"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("    3  RA003  iterate-while-mutated"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("   13  total"), std::string::npos) << r.out;
}

TEST(Statistics, JsonFormat) {
  const auto r = run_raceaudit({"scan", "--isolated", "--statistics", "--format", "json", "project"}, kGolden);
  const auto j = parse_json(r.out);
  ASSERT_TRUE(j.is_array()) << r.out;
  size_t total = 0;
  for (const auto& row : j) {
    EXPECT_EQ(row["count"], row["high"].get<size_t>() + row["medium"].get<size_t>() + row["low"].get<size_t>());
    EXPECT_FALSE(row["name"].get<std::string>().empty());
    total += row["count"].get<size_t>();
  }
  const auto findings = parse_json(run_raceaudit({"scan", "--isolated", "--format", "json", "project"}, kGolden).out);
  EXPECT_EQ(total, findings.size());
}

TEST(Statistics, NothingFound) {
  TempDir d;
  d.write("m.py", "x = 1\n");
  const auto r = run_raceaudit({"scan", "--isolated", "--statistics", "."}, d.path);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "No hazards found in 1 file.\n");
  EXPECT_EQ(run_raceaudit({"scan", "--isolated", "--statistics", "--format", "json", "."}, d.path).out, "[]\n");
}

}  // namespace
}  // namespace raceaudit::testing
