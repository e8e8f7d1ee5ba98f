// Command-line conveniences: `check` for `scan`, --output-format for --format
// and output-format in the configuration, FORCE_COLOR, `rule` by prefix and by
// name, `rule --all`, `rule --format json`, and the config keys
// respect-gitignore and force-exclude.
#include <gtest/gtest.h>

#include <filesystem>

#include "e2e/run_binary.h"
#include "report/support.h"

namespace raceaudit::testing {
namespace {

const std::string kGolden = std::string(RACEAUDIT_SOURCE_DIR) + "/tests/golden";

const char* const kCounter = kCounterModule;

TEST(CliPolish, CheckIsScan) {
  const auto scan = run_raceaudit({"scan", "--isolated", "project"}, kGolden);
  const auto check = run_raceaudit({"check", "--isolated", "project"}, kGolden);
  EXPECT_EQ(check.exit_code, 1) << check.err;
  EXPECT_EQ(check.out, scan.out);
}

TEST(CliPolish, OutputFormatFromTheFlagAndTheConfiguration) {
  const auto flag = run_raceaudit({"scan", "--isolated", "--output-format", "json", "project"}, kGolden);
  EXPECT_TRUE(parse_json(flag.out).is_array()) << flag.out;
  TempDir d;
  d.write("m.py", kCounter);
  d.write("raceaudit.toml", "output-format = \"github\"\n");
  const auto config = run_raceaudit({"scan"}, d.path);
  EXPECT_EQ(config.out.rfind("::warning file=m.py", 0), 0u) << config.out;
  const auto cli_wins = run_raceaudit({"scan", "--format", "json"}, d.path);
  EXPECT_TRUE(parse_json(cli_wins.out).is_array()) << cli_wins.out;
  d.write("raceaudit.toml", "output-format = \"xml\"\n");
  const auto bad = run_raceaudit({"scan"}, d.path);
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("output-format: expected one of text, json"), std::string::npos) << bad.err;
}

TEST(CliPolish, ForceColorTurnsColourOnWithoutATerminal) {
  const auto plain = run_raceaudit({"scan", "--isolated", "project"}, kGolden);
  EXPECT_EQ(plain.out.find('\x1b'), std::string::npos);
  const auto forced = run_raceaudit({"scan", "--isolated", "project"}, kGolden, {"FORCE_COLOR=1"});
  EXPECT_NE(forced.out.find('\x1b'), std::string::npos) << forced.out;
  const auto never = run_raceaudit({"scan", "--isolated", "--color", "never", "project"}, kGolden, {"FORCE_COLOR=1"});
  EXPECT_EQ(never.out.find('\x1b'), std::string::npos) << "--color never wins";
  const auto empty = run_raceaudit({"scan", "--isolated", "project"}, kGolden, {"FORCE_COLOR="});
  EXPECT_EQ(empty.out.find('\x1b'), std::string::npos) << "an empty FORCE_COLOR is not set";
}

TEST(CliPolish, RuleByPrefixByNameAllAndJson) {
  const auto page = run_raceaudit({"rule", "RA003"}).out;
  ASSERT_EQ(page.rfind("# RA003", 0), 0u) << page;
  EXPECT_EQ(run_raceaudit({"rule", "iterate-while-mutated"}).out, page) << "by name";
  EXPECT_EQ(run_raceaudit({"rule", "ra003"}).out, page) << "any case";
  const auto prefix = run_raceaudit({"rule", "RA00"});
  EXPECT_EQ(prefix.exit_code, 0);
  EXPECT_NE(prefix.out.find("RA001  "), std::string::npos) << "a prefix of several lists them: " << prefix.out;
  EXPECT_NE(prefix.out.find("RA008  "), std::string::npos);
  const auto all = run_raceaudit({"rule", "--all"}).out;
  size_t pages = 0;
  for (size_t p = all.find("# RA00"); p != std::string::npos; p = all.find("# RA00", p + 1)) ++pages;
  EXPECT_EQ(pages, 8u);
  EXPECT_NE(all.find(page), std::string::npos);
  const auto json = parse_json(run_raceaudit({"rule", "--format", "json"}).out);
  ASSERT_TRUE(json.is_array());
  ASSERT_EQ(json.size(), 8u);
  EXPECT_EQ(json[2]["code"], "RA003");
  EXPECT_EQ(json[2]["name"], "iterate-while-mutated");
  EXPECT_EQ(json[2]["explanation"], page);
  EXPECT_EQ(json[2]["url"], std::string(RACEAUDIT_DOCS_URL) + "/RA003.md");
  const auto bad = run_raceaudit({"rule", "RA9"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.err, "raceaudit: error: unknown rule 'RA9'; `raceaudit rule` lists the rules\n");
}

TEST(CliPolish, GitignoreAndForceExcludeFromTheConfiguration) {
  TempDir d;
  ASSERT_EQ(git_init(d.path).exit_code, 0);
  d.write("m.py", kCounter);
  d.write("gen/g.py", kCounter);
  d.write(".gitignore", "gen/\n");
  d.write("raceaudit.toml", "respect-gitignore = false\n");
  EXPECT_NE(run_raceaudit({"scan"}, d.path).out.find("gen/g.py"), std::string::npos);
  EXPECT_EQ(run_raceaudit({"scan", "--respect-gitignore"}, d.path).out.find("gen/g.py"), std::string::npos);
  d.write("raceaudit.toml", "exclude = [\"gen\"]\nforce-exclude = true\n");
  EXPECT_EQ(run_raceaudit({"scan", "gen/g.py"}, d.path).out.find("gen/g.py"), std::string::npos);
  EXPECT_NE(run_raceaudit({"scan", "--no-force-exclude", "gen/g.py"}, d.path).out.find("gen/g.py"),
            std::string::npos);
}

// `scan -` through a shell, for its stdin.
ShellResult scan_stdin(const TempDir& d, const std::string& input_file, const std::string& args) {
  return run_shell("cd " + shell_quote(d.path) + " && " + shell_quote(default_binary()) + " scan - " + args + " < " +
                   shell_quote(input_file) + " 2>&1");
}

TEST(CliPolish, StdinIsScannedUnderItsStdinFilename) {
  TempDir d;
  d.write("raceaudit.toml", "");
  d.write("pkg/m.py", kCounter);
  const std::string input = d.write("input.txt", "\n\n" + std::string(kCounter));  // the same code two lines lower
  const auto disk = parse_json(run_raceaudit({"scan", "--format", "json", "pkg/m.py"}, d.path).out);
  ASSERT_EQ(disk.size(), 1u);
  const auto r = scan_stdin(d, input, "--stdin-filename pkg/m.py --format json");
  const auto in = parse_json(r.output);
  ASSERT_TRUE(in.is_array()) << r.output;
  ASSERT_EQ(in.size(), 1u) << r.output;
  EXPECT_EQ(in[0]["filename"], "pkg/m.py");
  EXPECT_EQ(in[0]["location"]["row"], disk[0]["location"]["row"].get<int>() + 2) << "the text read is stdin's";
  EXPECT_EQ(in[0]["fingerprint"], disk[0]["fingerprint"]) << "and it is named as the file it stands for";
  const auto plain = scan_stdin(d, input, "");
  EXPECT_NE(plain.output.find("-:11:9: RA001"), std::string::npos) << plain.output;
  const auto excluded = scan_stdin(d, input, "--stdin-filename pkg/m.py --force-exclude --exclude pkg");
  EXPECT_EQ(excluded.exit_code, 0) << excluded.output;
  const auto mixed = run_raceaudit({"scan", "-", "pkg"}, d.path);
  EXPECT_EQ(mixed.exit_code, 2);
  EXPECT_EQ(mixed.err, "raceaudit: error: `-` (read the file from stdin) cannot be combined with other paths\n");
}

TEST(CliPolish, ShowSettingsNamesTheFileTheRootAndTheResolvedSettings) {
  TempDir d;
  d.write("pyproject.toml", "[tool.raceaudit]\nselect = [\"RA00\"]\nignore = [\"RA002\"]\nexclude = [\"gen\"]\n");
  d.write("src/m.py", kCounter);
  const auto r = run_raceaudit({"scan", "--show-settings", "--output-format", "json", "--extend-exclude", "x/*.py", "."},
                               d.path + "/src");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const auto s = parse_json(r.out);
  ASSERT_TRUE(s.is_object()) << r.out;
  const std::string root = std::filesystem::canonical(d.path).string();
  EXPECT_EQ(s["config_file"], root + "/pyproject.toml");
  EXPECT_EQ(s["project_root"], root);
  EXPECT_EQ(s["rules"], nlohmann::json({"RA001", "RA003", "RA004", "RA005", "RA006", "RA007", "RA008"}));
  EXPECT_EQ(s["exclude"][0], nlohmann::json({{"glob", "gen"}, {"relative_to", root}}));
  EXPECT_EQ(s["exclude"][1], nlohmann::json({{"glob", "x/*.py"}, {"relative_to", root + "/src"}}));
  EXPECT_EQ(s["output_format"], "json");
  EXPECT_EQ(s["respect_gitignore"], true);
  const auto text = run_raceaudit({"scan", "--show-settings"}, d.path);
  EXPECT_NE(text.out.find("config_file = \"pyproject.toml\"\n"), std::string::npos) << text.out;
  EXPECT_EQ(text.out.find("RA001:"), std::string::npos) << "no scan: " << text.out;
}

}  // namespace
}  // namespace raceaudit::testing
