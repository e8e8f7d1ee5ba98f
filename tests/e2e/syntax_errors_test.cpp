// Syntax errors in the machine formats: an entry with no code after the
// findings in JSON (ruff's shape, valid against docs/report.schema.json), an
// `error` notification with the descriptor `syntax-error` in SARIF, and
// --fail-on-syntax-error for the exit code.
#include <gtest/gtest.h>

#include "e2e/run_binary.h"
#include "report/support.h"

namespace raceaudit::testing {
namespace {

const char* const kCounter = kCounterModule;

struct Broken {
  TempDir d;
  Broken() {
    d.write("a.py", kCounter);
    d.write("broken.py", "x = 1\ndef broken(:\n    pass\n");
  }
};

TEST(SyntaxErrors, JsonListsThemAfterTheFindings) {
  Broken b;
  const auto r = run_raceaudit({"scan", "--isolated", "--format", "json", "-o", b.d.path + "/r.json", "."}, b.d.path);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const auto j = parse_json(read_text(b.d.path + "/r.json"));
  ASSERT_TRUE(j.is_array());
  ASSERT_EQ(j.size(), 2u) << j.dump(2);
  EXPECT_EQ(j[0]["code"], "RA001");
  const auto& e = j[1];
  EXPECT_TRUE(e["code"].is_null());
  EXPECT_EQ(e["kind"], "syntax-error");
  EXPECT_EQ(e["filename"], "broken.py");
  EXPECT_EQ(e["location"]["row"], 2);
  EXPECT_NE(e["message"].get<std::string>().find("syntax error"), std::string::npos) << e;
  const std::string python = python_with_jsonschema();
  if (python.empty()) GTEST_SKIP() << "python3-jsonschema is not installed (scripts/setup.sh installs it)";
  EXPECT_EQ(validate_with_jsonschema(python, std::string(RACEAUDIT_SOURCE_DIR) + "/docs/report.schema.json",
                                     b.d.path + "/r.json"),
            "");
}

TEST(SyntaxErrors, SarifNotificationIsAnError) {
  Broken b;
  const auto sarif = parse_json(run_raceaudit({"scan", "--isolated", "--format", "sarif", "."}, b.d.path).out);
  const auto& notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"];
  ASSERT_EQ(notes.size(), 1u) << sarif.dump(2);
  EXPECT_EQ(notes[0]["level"], "error");
  EXPECT_EQ(notes[0]["descriptor"]["id"], "syntax-error");
}

TEST(SyntaxErrors, FailOnSyntaxErrorSetsTheExitCode) {
  TempDir d;
  d.write("broken.py", "def broken(:\n    pass\n");
  EXPECT_EQ(run_raceaudit({"scan", "--isolated", "."}, d.path).exit_code, 0) << "a warning, by default";
  EXPECT_EQ(run_raceaudit({"scan", "--isolated", "--fail-on-syntax-error", "."}, d.path).exit_code, 1);
  EXPECT_EQ(run_raceaudit({"scan", "--isolated", "--fail-on-syntax-error", "--exit-zero", "."}, d.path).exit_code, 0);
  d.write("broken.py", "x = 1\n");
  EXPECT_EQ(run_raceaudit({"scan", "--isolated", "--fail-on-syntax-error", "."}, d.path).exit_code, 0);
}

}  // namespace
}  // namespace raceaudit::testing
