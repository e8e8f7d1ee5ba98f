// Display-only fixes, end to end: RA007's ContextVar rewrite of a setter's
// global, as the JSON and SARIF reports show it (edits written by hand);
// never applied by --fix or --unsafe-fixes, left out of --diff and of the
// "unsafe fixes not applied" count; and not offered when another module of
// the project names the global.
#include <gtest/gtest.h>

#include "e2e/run_binary.h"
#include "report/support.h"

namespace raceaudit::testing {
namespace {

constexpr const char* kSettings =
    "import os\n"
    "\n"
    "_uid = None\n"
    "\n"
    "\n"
    "def set_uid(uid):\n"
    "    global _uid\n"
    "    _uid = uid\n"
    "\n"
    "\n"
    "def get_uid():\n"
    "    return _uid or os.getuid()\n";

nlohmann::json edit(int row, int col, int end_row, int end_col, const char* content) {
  return {{"content", content},
          {"location", {{"row", row}, {"column", col}}},
          {"end_location", {{"row", end_row}, {"column", end_col}}}};
}

// The fix of the finding at `file`:`row` in a JSON scan of `dir` (null when none).
nlohmann::json fix_at(const TempDir& d, const std::string& file, int row) {
  const auto j = parse_json(scan_in(d.path, {"--isolated", "--min-confidence", "low", "--format", "json", "."}).out);
  for (const auto& f : j)
    if (f["filename"] == file && f["location"]["row"] == row) return f["fix"];
  ADD_FAILURE() << "no finding at " << file << ":" << row << " in " << j.dump();
  return nullptr;
}

TEST(DisplayOnlyFix, JsonShowsTheContextVarRewrite) {
  TempDir d;
  d.write("settings.py", kSettings);
  const auto fix = fix_at(d, "settings.py", 8);
  ASSERT_TRUE(fix.is_object()) << fix.dump();
  EXPECT_EQ(fix["applicability"], "display-only");
  EXPECT_EQ(fix["message"],
            "Keep `_uid` per context: a `contextvars.ContextVar`, read with `.get()`, written with `.set()` (each "
            "thread then sees only its own value); or, if one process-wide value is meant, hold one module lock "
            "around every read and write");
  EXPECT_EQ(fix["edits"], nlohmann::json::array({
                              edit(2, 1, 2, 1, "import contextvars\n"),  // after `import os`
                              edit(3, 5, 3, 8, " = contextvars.ContextVar(\"_uid\", default="),
                              edit(3, 12, 3, 12, ")"),  // after `None`
                              edit(8, 9, 8, 12, ".set("),
                              edit(8, 15, 8, 15, ")"),  // after `uid`
                              edit(12, 16, 12, 16, ".get()"),
                          }));
}

TEST(DisplayOnlyFix, SarifSaysDisplayOnly) {
  TempDir d;
  d.write("settings.py", kSettings);
  const auto log = parse_json(scan_in(d.path, {"--isolated", "--format", "sarif", "settings.py"}).out);
  const auto& result = log["runs"][0]["results"][0];
  ASSERT_TRUE(result["fixes"].is_array()) << result.dump();
  EXPECT_EQ(result["fixes"][0]["properties"]["applicability"], "display-only");
  EXPECT_EQ(result["fixes"][0]["artifactChanges"][0]["replacements"].size(), 6u);
}

// Beside a safe fix: --fix applies only that one, and says nothing of the
// display-only one; with --unsafe-fixes too; --diff shows only the safe one.
TEST(DisplayOnlyFix, NeverAppliedNorCountedAsUnsafe) {
  const std::string text = std::string(kSettings) +
                           "\n"
                           "\n"
                           "_names = {}\n"
                           "\n"
                           "\n"
                           "def add(k, v):\n"
                           "    _names[k] = v\n"
                           "\n"
                           "\n"
                           "def names():\n"
                           "    return [k for k in _names]\n";
  std::string fixed = text;
  fixed.replace(fixed.find("in _names]"), 10, "in list(_names)]");
  for (const char* unsafe : {"", "--unsafe-fixes"}) {
    TempDir d;
    d.write("settings.py", text);
    std::vector<std::string> diff_args{"--isolated", "--min-confidence", "low", "--diff", "settings.py"};
    if (*unsafe) diff_args.push_back(unsafe);
    const RunResult diff = scan_in(d.path, diff_args);
    EXPECT_NE(diff.out.find("+    return [k for k in list(_names)]\n"), std::string::npos) << diff.out;
    EXPECT_EQ(diff.out.find("contextvars"), std::string::npos) << diff.out;
    EXPECT_NE(diff.err.find("would fix 1 finding in 1 file"), std::string::npos) << diff.err;

    std::vector<std::string> args{"--isolated", "--min-confidence", "low", "--fix", "--show-fixes", "settings.py"};
    if (*unsafe) args.push_back(unsafe);
    const RunResult r = scan_in(d.path, args);
    EXPECT_EQ(read_text(d.path + "/settings.py"), fixed) << r.err;
    EXPECT_NE(r.err.find("fixed 1 finding in 1 file"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("not applied"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("display-only"), std::string::npos) << r.err;
    EXPECT_NE(r.out.find("settings.py:8:5: RA007"), std::string::npos) << r.out;  // still reported
    EXPECT_EQ(r.exit_code, 1);
  }
}

// Another module that reads or writes the global, or imports it by name:
// rewriting only this module would break it. The last case imports the
// module but names only its functions: the fix stands.
TEST(DisplayOnlyFix, NotWhenAnotherModuleNamesTheGlobal) {
  struct Case {
    const char* app;
    bool fixed;
  };
  const Case cases[] = {
      {"import settings\n\ndef show():\n    return settings._uid\n", false},
      {"import settings\n\ndef show():\n    return f\"{settings._uid}\"\n", false},
      {"from settings import _uid\n", false},
      {"import settings as s\n\ndef force(u):\n    s._uid = u\n", false},
      {"import settings\n\ndef show():\n    return settings.get_uid()\n", true},
  };
  for (const Case& c : cases) {
    TempDir d;
    d.write("settings.py", kSettings);
    d.write("app.py", c.app);
    const auto fix = fix_at(d, "settings.py", 8);
    EXPECT_EQ(fix.is_null(), !c.fixed) << c.app << fix.dump();
  }
}

}  // namespace
}  // namespace raceaudit::testing
