// SARIF output: validated against the official SARIF 2.1.0 JSON schema
// (fetched from the npm registry by cmake/SarifSchema.cmake), and checked for
// what GitHub code scanning relies on: rule metadata from the rule pages,
// relative URIs, regions, related locations, partial fingerprints.
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "e2e/run_binary.h"
#include "report/support.h"

namespace raceaudit::testing {
namespace {

const std::string kGolden = std::string(RACEAUDIT_SOURCE_DIR) + "/tests/golden";

nlohmann::json sarif_of(const std::vector<std::string>& paths, const std::string& cwd = kGolden) {
  std::vector<std::string> args{"scan", "--isolated", "--format", "sarif"};
  args.insert(args.end(), paths.begin(), paths.end());
  const auto r = run_raceaudit(args, cwd);
  EXPECT_LE(r.exit_code, 1) << r.err;
  return parse_json(r.out);
}

// The schema's path, or "" with the reason in `why`.
std::string sarif_schema(std::string& why) {
  const auto r = run_shell("cmake -P " + shell_quote(std::string(RACEAUDIT_SOURCE_DIR) + "/cmake/SarifSchema.cmake"));
  const size_t p = r.output.find("SARIF_SCHEMA=");
  if (r.exit_code != 0 || p == std::string::npos) {
    why = r.output;
    return {};
  }
  std::string path = r.output.substr(p + 13);
  return path.substr(0, path.find('\n'));
}

void expect_valid_sarif(const std::string& python, const std::string& schema, const std::vector<std::string>& args,
                        const std::string& cwd) {
  TempDir d;
  const std::string out = d.path + "/report.sarif";
  std::vector<std::string> all{"scan", "--isolated", "--format", "sarif", "--output-file", out};
  all.insert(all.end(), args.begin(), args.end());
  const auto r = run_raceaudit(all, cwd);
  ASSERT_LE(r.exit_code, 1) << r.err;
  EXPECT_EQ(validate_with_jsonschema(python, schema, out), "") << "arguments: " << ::testing::PrintToString(args);
}

TEST(Sarif, ValidatesAgainstTheOfficialSchema) {
  const std::string python = python_with_jsonschema();
  if (python.empty()) GTEST_SKIP() << "no python3 with jsonschema (Debian: python3-jsonschema)";
  std::string why;
  const std::string schema = sarif_schema(why);
  if (schema.empty()) GTEST_SKIP() << "the SARIF schema could not be fetched: " << why;
  // Findings with and without related sites, several files, suppressions.
  expect_valid_sarif(python, schema, {"project"}, kGolden);
  // No findings; diagnostics as tool execution notifications; absolute paths.
  TempDir d;
  d.write("clean.py", "def f():\n    return 1\n");
  d.write("broken.py", "def broken(:\n    pass\n");
  expect_valid_sarif(python, schema, {d.path}, d.path);
  expect_valid_sarif(python, schema, {"--select", "RA003", "."}, std::string(RACEAUDIT_SOURCE_DIR) + "/examples");
}

TEST(Sarif, SchemaValidationCatchesABrokenLog) {
  const std::string python = python_with_jsonschema();
  if (python.empty()) GTEST_SKIP() << "no python3 with jsonschema";
  std::string why;
  const std::string schema = sarif_schema(why);
  if (schema.empty()) GTEST_SKIP() << why;
  TempDir d;
  const std::string bad = d.write("bad.sarif",
                                  "{\"version\": \"2.1.0\", \"runs\": [{\"tool\": {\"driver\": {\"name\": \"x\"}}, "
                                  "\"results\": [{\"message\": {\"text\": \"m\"}, \"level\": \"fatal\"}]}]}");
  EXPECT_NE(validate_with_jsonschema(python, schema, bad), "") << "a level the schema does not allow";
}

TEST(Sarif, LogAndToolDriver) {
  const auto log = sarif_of({"project"});
  ASSERT_TRUE(log.is_object());
  EXPECT_EQ(log["version"], "2.1.0");
  EXPECT_EQ(log["$schema"], "https://json.schemastore.org/sarif-2.1.0.json");
  ASSERT_EQ(log["runs"].size(), 1u);
  const auto& driver = log["runs"][0]["tool"]["driver"];
  EXPECT_EQ(driver["name"], "raceaudit");
  const auto version = run_raceaudit({"--version"}).out;
  EXPECT_NE(version.find(driver["version"].get<std::string>()), std::string::npos) << version;
  EXPECT_EQ(log["runs"][0]["columnKind"], "unicodeCodePoints");
  EXPECT_EQ(log["runs"][0]["invocations"][0]["executionSuccessful"], true);
}

TEST(Sarif, RulesCarryTheirPages) {
  const auto rules = sarif_of({"project"})["runs"][0]["tool"]["driver"]["rules"];
  ASSERT_EQ(rules.size(), 8u);
  std::set<std::string> ids;
  for (const auto& rule : rules) {
    const std::string id = rule["id"];
    ids.insert(id);
    EXPECT_TRUE(std::regex_match(id, std::regex("RA00[1-8]"))) << id;
    EXPECT_FALSE(rule["name"].get<std::string>().empty()) << id;
    EXPECT_FALSE(rule["shortDescription"]["text"].get<std::string>().empty()) << id;
    const std::string full = rule["fullDescription"]["text"];
    EXPECT_GT(full.size(), 80u) << id << ": the page's \"What it does\" section";
    EXPECT_EQ(full.find("## "), std::string::npos) << id << ": no headings in the description";
    const std::string page = run_raceaudit({"rule", id}).out;
    EXPECT_EQ(rule["help"]["markdown"], page) << id << ": help is the page `raceaudit rule " << id << "` prints";
    const std::string text = rule["help"]["text"];
    EXPECT_NE(text.find("\nWhat it does\n"), std::string::npos) << id << ": plain text keeps the headings' words";
    for (const char* markup : {"`", "**", "## "})
      EXPECT_EQ(text.find(markup), std::string::npos) << id << ": no markdown (" << markup << ") in help.text";
    EXPECT_TRUE(std::regex_match(rule["helpUri"].get<std::string>(), std::regex("https?://.+/docs/rules/" + id + "\\.md")))
        << rule["helpUri"];
    const std::string precision = rule["properties"]["precision"];
    EXPECT_TRUE(precision == "very-high" || precision == "high" || precision == "medium" || precision == "low")
        << precision;
    const std::string level = rule["defaultConfiguration"]["level"];
    EXPECT_TRUE(level == "error" || level == "warning") << id << ' ' << level;
    const auto& tags = rule["properties"]["tags"];
    EXPECT_NE(std::find(tags.begin(), tags.end(), level == "error" ? "crash" : "silent"), tags.end()) << id;
  }
  EXPECT_EQ(ids.size(), 8u) << "unique rule ids";
}

TEST(Sarif, ResultsPointIntoTheRulesAndTheFiles) {
  const auto log = sarif_of({"project"});
  const auto& run = log["runs"][0];
  const auto& rules = run["tool"]["driver"]["rules"];
  const auto json = parse_json(run_raceaudit({"scan", "--isolated", "--format", "json", "project"}, kGolden).out);
  ASSERT_EQ(run["results"].size(), json.size());
  size_t with_related = 0;
  for (size_t i = 0; i < json.size(); ++i) {
    const auto& res = run["results"][i];
    const auto& f = json[i];
    EXPECT_EQ(res["ruleId"], f["code"]);
    EXPECT_EQ(rules[res["ruleIndex"].get<size_t>()]["id"], res["ruleId"]);
    const std::string level = res["level"];
    EXPECT_EQ(level, f["symptom"] == "crash" ? "error" : "warning") << "no low-confidence finding in the project";
    const auto& loc = res["locations"][0]["physicalLocation"];
    EXPECT_EQ(loc["artifactLocation"]["uri"], f["filename"]);
    EXPECT_EQ(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    EXPECT_EQ(loc["region"]["startLine"], f["location"]["row"]);
    EXPECT_EQ(loc["region"]["startColumn"], f["location"]["column"]);
    EXPECT_EQ(loc["region"]["endLine"], f["end_location"]["row"]);
    EXPECT_EQ(loc["region"]["endColumn"], f["end_location"]["column"]);
    EXPECT_EQ(res["locations"][0]["logicalLocations"][0]["fullyQualifiedName"], f["scope"]);
    EXPECT_EQ(res["partialFingerprints"]["raceaudit/v1"], f["fingerprint"]);
    EXPECT_EQ(res["properties"]["confidence"], f["confidence"]);
    EXPECT_EQ(res["properties"]["symptom"], f["symptom"]);
    if (f["related"].is_null()) {
      EXPECT_FALSE(res.contains("relatedLocations"));
      continue;
    }
    ++with_related;
    const auto& rel = res["relatedLocations"][0];
    EXPECT_EQ(rel["id"], 1);
    EXPECT_EQ(rel["physicalLocation"]["artifactLocation"]["uri"], f["related"]["filename"]);
    EXPECT_EQ(rel["physicalLocation"]["region"]["startLine"], f["related"]["location"]["row"]);
    EXPECT_EQ(rel["message"]["text"], f["related"]["message"]);
    const std::string text = res["message"]["text"];
    EXPECT_NE(text.find("[" + f["related"]["message"].get<std::string>() + "](1)"), std::string::npos)
        << "the message links the related location: " << text;
  }
  EXPECT_GT(with_related, 5u);
}

TEST(Sarif, EmptyRunStillDescribesTheTool) {
  TempDir d;
  d.write("clean.py", "def f():\n    return 1\n");
  const auto log = sarif_of({"."}, d.path);
  EXPECT_TRUE(log["runs"][0]["results"].is_array());
  EXPECT_TRUE(log["runs"][0]["results"].empty());
  EXPECT_EQ(log["runs"][0]["tool"]["driver"]["rules"].size(), 8u);
}

TEST(Sarif, DiagnosticsBecomeToolExecutionNotifications) {
  TempDir d;
  d.write("broken.py", "def broken(:\n    pass\n");
  const auto log = sarif_of({"."}, d.path);
  const auto& notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"];
  ASSERT_EQ(notes.size(), 1u) << log.dump(2);
  EXPECT_EQ(notes[0]["level"], "error") << "a syntax error (syntax_errors_test.cpp); other diagnostics are warnings";
  EXPECT_NE(notes[0]["message"]["text"].get<std::string>().find("syntax error"), std::string::npos);
  const auto& pl = notes[0]["locations"][0]["physicalLocation"];
  EXPECT_EQ(pl["artifactLocation"]["uri"], "broken.py");
  EXPECT_EQ(pl["region"]["startLine"], 1);
}

TEST(Sarif, UrisArePercentEncodedAndFilesOutsideTheProjectAreFileUris) {
  TempDir d;
  d.write("my dir/a%b.py", "import threading\n\nLOCK = threading.Lock()\nN = 0\n\ndef bump():\n    global N\n    N += 1\n");
  const auto rel = sarif_of({"."}, d.path);
  ASSERT_EQ(rel["runs"][0]["results"].size(), 1u) << rel.dump(2);
  EXPECT_EQ(rel["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "my%20dir/a%25b.py");
  TempDir elsewhere;  // --isolated: the project root is the working directory, which the file is not below
  const auto abs = sarif_of({d.path + "/my dir"}, elsewhere.path);
  const auto& art = abs["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
  EXPECT_EQ(art["uri"], "file://" + d.path + "/my%20dir/a%25b.py");
  EXPECT_FALSE(art.contains("uriBaseId"));
}

}  // namespace
}  // namespace raceaudit::testing
