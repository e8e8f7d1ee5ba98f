// JSON output: ruff's field names, raceaudit's own fields, validated against
// docs/report.schema.json with python3-jsonschema.
#include <gtest/gtest.h>

#include "e2e/run_binary.h"
#include "report/support.h"

namespace raceaudit::testing {
namespace {

const std::string kGolden = std::string(RACEAUDIT_SOURCE_DIR) + "/tests/golden";
const std::string kSchema = std::string(RACEAUDIT_SOURCE_DIR) + "/docs/report.schema.json";

TEST(Json, ValidatesAgainstTheDocumentedSchema) {
  const std::string python = python_with_jsonschema();
  if (python.empty()) GTEST_SKIP() << "no python3 with jsonschema (Debian: python3-jsonschema)";
  TempDir d;
  for (const auto& [name, args, cwd] :
       {std::tuple{"golden", std::vector<std::string>{"project"}, kGolden},
        std::tuple{"examples-low", std::vector<std::string>{"--min-confidence", "low", "examples", "tests/fixtures"},
                   std::string(RACEAUDIT_SOURCE_DIR)}}) {
    const std::string out = d.path + "/" + name + ".json";
    std::vector<std::string> all{"scan", "--isolated", "--format", "json", "--output-file", out};
    all.insert(all.end(), args.begin(), args.end());
    const auto r = run_raceaudit(all, cwd);
    ASSERT_EQ(r.exit_code, 1) << r.err;
    EXPECT_EQ(validate_with_jsonschema(python, kSchema, out), "") << name;
  }
  d.write("clean/m.py", "x = 1\n");
  const std::string empty = d.path + "/empty.json";
  ASSERT_EQ(run_raceaudit({"scan", "--isolated", "--format", "json", "-o", empty, "clean"}, d.path).exit_code, 0);
  EXPECT_EQ(read_text(empty), "[]\n");
  EXPECT_EQ(validate_with_jsonschema(python, kSchema, empty), "");
}

TEST(Json, TheSchemaRejectsWhatItShould) {
  const std::string python = python_with_jsonschema();
  if (python.empty()) GTEST_SKIP() << "no python3 with jsonschema";
  TempDir d;
  const std::string out = d.path + "/r.json";
  ASSERT_EQ(run_raceaudit({"scan", "--isolated", "--format", "json", "-o", out, "project"}, kGolden).exit_code, 1);
  auto j = parse_json(read_text(out));
  j[0]["confidence"] = "certain";
  d.write("bad.json", j.dump());
  EXPECT_NE(validate_with_jsonschema(python, kSchema, d.path + "/bad.json"), "");
}

TEST(Json, RuffFieldsAndRaceauditFields) {
  const auto r = run_raceaudit({"scan", "--isolated", "--format", "json", "project"}, kGolden);
  ASSERT_EQ(r.exit_code, 1);
  const auto j = parse_json(r.out);
  ASSERT_TRUE(j.is_array());
  ASSERT_FALSE(j.empty());
  for (const auto& f : j) {
    // ruff's names
    EXPECT_TRUE(f["code"].is_string());
    EXPECT_TRUE(f["filename"].is_string());
    EXPECT_EQ(f["filename"].get<std::string>().rfind("project/", 0), 0u) << "paths as scanned, relative";
    EXPECT_TRUE(f["location"]["row"].is_number_integer());
    EXPECT_TRUE(f["location"]["column"].is_number_integer());
    EXPECT_TRUE(f["end_location"]["row"].is_number_integer());
    EXPECT_TRUE(f["message"].is_string());
    EXPECT_EQ(f["noqa_row"], f["location"]["row"]);
    EXPECT_TRUE(f["fix"].is_null() || (f["fix"]["applicability"].is_string() && f["fix"]["edits"].is_array()));
    EXPECT_EQ(f["url"], std::string(RACEAUDIT_DOCS_URL) + "/" + f["code"].get<std::string>() + ".md") << "the rule's page";
    // raceaudit's
    for (const char* key : {"shape", "scope", "target", "linked_target", "confidence", "symptom", "fix_hint", "fingerprint"})
      EXPECT_TRUE(f[key].is_string()) << key;
    EXPECT_TRUE(f["related"].is_null() || f["related"].is_object());
  }
}

TEST(Json, RelatedSiteInAnotherFileHasCharacterColumns) {
  TempDir d;
  d.write("pkg/__init__.py", "");
  d.write("pkg/registry.py", "HANDLERS = {}\n\n\ndef register(name, fn):\n    label = 'é'; HANDLERS[name] = fn\n");
  d.write("pkg/use.py",
          "from pkg import registry\n\n\ndef names():\n    return [n for n in registry.HANDLERS]\n");
  const auto j = parse_json(run_raceaudit({"scan", "--isolated", "--format", "json", "pkg"}, d.path).out);
  bool seen = false;
  for (const auto& f : j) {
    if (f["filename"] != "pkg/use.py" || f["code"] != "RA003") continue;
    seen = true;
    ASSERT_TRUE(f["related"].is_object());
    EXPECT_EQ(f["related"]["filename"], "pkg/registry.py");
    EXPECT_EQ(f["related"]["location"]["row"], 5);
    EXPECT_EQ(f["related"]["location"]["column"], 18) << "`    label = 'é'; ` is 17 characters, 18 bytes";
  }
  EXPECT_TRUE(seen) << j.dump(2);
}

}  // namespace
}  // namespace raceaudit::testing
