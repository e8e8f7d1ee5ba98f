// Autofix, end to end: every case under tests/fixes/<CODE>/ is copied to a
// temporary directory and fixed with `raceaudit scan --fix`, and again with
// `--fix --unsafe-fixes`; the results must equal the hand-written
// `<case>.fixed.py` / `<case>.unsafe.fixed.py` byte for byte, and a
// `nofix_*` case must come out unchanged and offer no fix at all. A
// display-only fix is never applied: its edits, taken from the JSON report,
// must make `<case>.display.fixed.py`. Also --diff, exit codes,
// --show-fixes, the JSON and SARIF fix fields, and the files autofix refuses.
#include <gtest/gtest.h>

#include <filesystem>

#include "e2e/run_binary.h"
#include "report/support.h"

namespace raceaudit::testing {
namespace {
namespace fs = std::filesystem;

const fs::path kCases = fs::path(RACEAUDIT_SOURCE_DIR) / "tests" / "fixes";

std::vector<std::string> cases() {
  std::vector<std::string> out;
  for (const auto& dir : fs::directory_iterator(kCases)) {
    if (!dir.is_directory()) continue;  // inventory_fs_driver.py
    for (const auto& e : fs::directory_iterator(dir.path())) {
      const std::string name = e.path().filename().string();
      if (e.path().extension() == ".py" && !name.ends_with(".fixed.py")) out.push_back(e.path().string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

RunResult fix_in(const TempDir& d, const std::string& file, bool unsafe) {
  std::vector<std::string> args{"scan", "--isolated", "--min-confidence", "low", "--fix"};
  if (unsafe) args.push_back("--unsafe-fixes");
  args.push_back(file);
  return run_raceaudit(args, d.path);
}

std::string sibling(const fs::path& src, const char* suffix) {
  const fs::path p = src.parent_path() / (src.stem().string() + suffix);
  return fs::exists(p) ? read_text(p.string()) : std::string();
}

// Each case runs with --fix and with --fix --unsafe-fixes. The results:
// `<case>.fixed.py` (else the case unchanged) and `<case>.unsafe.fixed.py`
// (else the same as with --fix). A `nofix_*` case has neither file.
class FixCase : public ::testing::TestWithParam<std::tuple<std::string, bool>> {};

TEST_P(FixCase, FixedFileMatchesTheHandWrittenResult) {
  const auto& [path, unsafe] = GetParam();
  const fs::path src(path);
  const std::string input = read_text(path);
  const std::string safe = sibling(src, ".fixed.py"), with_unsafe = sibling(src, ".unsafe.fixed.py");
  const std::string display = sibling(src, ".display.fixed.py");
  const bool nofix = src.filename().string().rfind("nofix_", 0) == 0;
  ASSERT_EQ(nofix, safe.empty() && with_unsafe.empty() && display.empty())
      << "a case is nofix_* or has a .fixed.py, .unsafe.fixed.py or .display.fixed.py";
  ASSERT_TRUE(safe != input && with_unsafe != input && display != input)
      << "an expected result must differ from the case";
  const std::string want_safe = safe.empty() ? input : safe;
  const std::string want = unsafe && !with_unsafe.empty() ? with_unsafe : want_safe;
  TempDir d;
  d.write("case.py", input);
  const RunResult r = fix_in(d, "case.py", unsafe);
  EXPECT_LE(r.exit_code, 1) << r.err;
  EXPECT_EQ(read_text(d.path + "/case.py"), want) << r.err;
  EXPECT_EQ(r.err.find("fix left out"), std::string::npos) << r.err;
}

std::string name_of(const ::testing::TestParamInfo<std::tuple<std::string, bool>>& info) {
  const fs::path p(std::get<0>(info.param));
  std::string n = p.parent_path().filename().string() + "_" + p.stem().string() +
                  (std::get<1>(info.param) ? "_unsafe_fixes" : "");
  for (auto& c : n)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return n;
}

INSTANTIATE_TEST_SUITE_P(Cases, FixCase, ::testing::Combine(::testing::ValuesIn(cases()), ::testing::Bool()), name_of);

// A JSON fix's edits applied to `text` (rows and columns in characters; the
// edits in order and apart, so from the last one back).
std::string apply_json_edits(const std::string& text, const nlohmann::json& edits) {
  std::vector<size_t> starts{0};
  for (size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') starts.push_back(i + 1);
  auto offset = [&](const nlohmann::json& at) {
    size_t i = starts.at(at["row"].get<size_t>() - 1);
    for (int c = 1; c < at["column"].get<int>(); ++c)
      for (++i; i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80;) ++i;
    return i;
  };
  std::string out = text;
  for (size_t k = edits.size(); k-- > 0;) {
    const size_t from = offset(edits[k]["location"]), to = offset(edits[k]["end_location"]);
    out.replace(from, to - from, edits[k]["content"].get<std::string>());
  }
  return out;
}

// The fixes of each case in the JSON report: none in a `nofix_*` case; each
// display-only one makes `<case>.display.fixed.py`, and there is one exactly
// when that file is; --diff --unsafe-fixes shows none of them.
class FixJson : public ::testing::TestWithParam<std::string> {};

TEST_P(FixJson, DisplayOnlyFixesMakeTheHandWrittenResult) {
  const fs::path src(GetParam());
  const std::string input = read_text(src.string()), display = sibling(src, ".display.fixed.py");
  const bool nofix = src.filename().string().rfind("nofix_", 0) == 0;
  TempDir d;
  d.write("case.py", input);
  const auto j = parse_json(scan_in(d.path, {"--isolated", "--min-confidence", "low", "--format", "json", "case.py"}).out);
  ASSERT_TRUE(j.is_array()) << j.dump();
  size_t shown = 0;
  for (const auto& f : j) {
    if (f["fix"].is_null()) continue;
    EXPECT_FALSE(nofix) << "a nofix_ case offers a fix: " << f.dump();
    if (f["fix"]["applicability"] != "display-only") continue;
    ++shown;
    EXPECT_EQ(apply_json_edits(input, f["fix"]["edits"]), display) << f.dump();
  }
  EXPECT_EQ(shown > 0, !display.empty()) << j.dump();
  if (display.empty()) return;
  const RunResult diff = scan_in(d.path, {"--isolated", "--min-confidence", "low", "--diff", "--unsafe-fixes", "case.py"});
  EXPECT_EQ(diff.out, "");
  EXPECT_EQ(diff.exit_code, 0) << diff.err;
}

INSTANTIATE_TEST_SUITE_P(Cases, FixJson, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return name_of({std::make_tuple(info.param, false), info.index});
                         });

// A class with a lock whose names() iterates a dict add() mutates: RA003 at
// line 10 with a safe fix, and nothing else.
constexpr const char* kRegistry =
    "import threading\n"
    "\n"
    "class Registry:\n"
    "    def __init__(self):\n"
    "        self._lock = threading.Lock()\n"
    "        self.entries = {}\n"
    "    def add(self, name, value):\n"
    "        self.entries[name] = value\n"
    "    def names(self):\n"
    "        return [n for n in self.entries]\n";

TEST(FixDiff, PrintsAUnifiedDiffChangesNothingAndExitsOne) {
  TempDir d;
  d.write("reg.py", kRegistry);
  const RunResult r = scan_in(d.path, {"--isolated", "--diff", "reg.py"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(read_text(d.path + "/reg.py"), kRegistry);
  EXPECT_EQ(r.out,
            "--- reg.py\n"
            "+++ reg.py\n"
            "@@ -7,4 +7,4 @@\n"
            "     def add(self, name, value):\n"
            "         self.entries[name] = value\n"
            "     def names(self):\n"
            "-        return [n for n in self.entries]\n"
            "+        return [n for n in list(self.entries)]\n");
  EXPECT_NE(r.err.find("would fix 1 finding in 1 file"), std::string::npos) << r.err;
}

TEST(FixDiff, NothingToFixPrintsNothingAndExitsZero) {
  TempDir d;
  d.write("c.py", kCounterModule);  // RA001: no fix
  const RunResult r = scan_in(d.path, {"--isolated", "--diff", "c.py"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST(FixExitCode, ZeroWhenEverythingWasFixedOneWhenFindingsRemain) {
  TempDir d;
  d.write("reg.py", kRegistry);
  RunResult r = scan_in(d.path, {"--isolated", "--fix", "reg.py"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("No hazards found in 1 file."), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("fixed 1 finding in 1 file"), std::string::npos) << r.err;

  d.write("c.py", kCounterModule);  // RA001 remains
  r = scan_in(d.path, {"--isolated", "--fix", "c.py"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.out.find("RA001"), std::string::npos) << r.out;
}

TEST(FixExitCode, ExitNonZeroOnFixFailsWhenSomethingWasFixed) {
  TempDir d;
  d.write("reg.py", kRegistry);
  const RunResult r = scan_in(d.path, {"--isolated", "--fix", "--exit-non-zero-on-fix", "reg.py"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(read_text(d.path + "/reg.py").find("in self.entries]"), std::string::npos);
}

TEST(FixShowFixes, ListsEachFixedFinding) {
  TempDir d;
  d.write("reg.py", kRegistry);
  const RunResult r = scan_in(d.path, {"--isolated", "--fix", "--show-fixes", "reg.py"});
  EXPECT_NE(r.err.find("  reg.py:10:28: RA003 Iterate over a snapshot taken with `list()` [safe]\n"), std::string::npos)
      << r.err;
}

TEST(FixUnsafe, NotAppliedWithoutUnsafeFixesAndSaidSo) {
  TempDir d;
  const std::string text = read_text((kCases / "RA003" / "unsafe_same_function.py").string());
  d.write("crawl.py", text);
  const RunResult r = scan_in(d.path, {"--isolated", "--fix", "crawl.py"});
  EXPECT_EQ(read_text(d.path + "/crawl.py"), text);
  EXPECT_NE(r.err.find("1 unsafe fix not applied (--unsafe-fixes applies them"), std::string::npos) << r.err;
}

// Two files: the report after --fix shows only what remains, and a file
// with nothing to fix is not rewritten.
TEST(FixReport, ShowsTheRemainingFindingsOnly) {
  TempDir d;
  d.write("reg.py", kRegistry);
  d.write("c.py", kCounterModule);
  const RunResult r = scan_in(d.path, {"--isolated", "--fix", "."});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out.find("RA003"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("c.py:9:9: RA001"), std::string::npos) << r.out;
  EXPECT_EQ(read_text(d.path + "/c.py"), kCounterModule);
}

// A file the fix cannot be written back to unchanged but for the edit.
TEST(FixRefuses, FilesThatAreNotPlainUtf8) {
  TempDir d;
  const std::string latin1 = std::string("# -*- coding: latin-1 -*-\n# caf\xe9\n") + kRegistry;
  d.write("reg.py", latin1);
  const RunResult r = scan_in(d.path, {"--isolated", "--fix", "reg.py"});
  EXPECT_EQ(read_text(d.path + "/reg.py"), latin1);
  EXPECT_NE(r.err.find("reg.py: not fixed: it is not plain UTF-8"), std::string::npos) << r.err;
}

TEST(FixRefuses, SymbolicLinks) {
  TempDir d;
  d.write("real/reg.py", kRegistry);
  fs::create_symlink(d.path + "/real/reg.py", d.path + "/alias.py");
  const RunResult r = scan_in(d.path, {"--isolated", "--fix", "--follow-links", "alias.py"});
  EXPECT_EQ(read_text(d.path + "/real/reg.py"), kRegistry);
  EXPECT_TRUE(fs::is_symlink(d.path + "/alias.py"));
  EXPECT_NE(r.err.find("not fixed: it is a symbolic link"), std::string::npos) << r.err;
}

TEST(FixWrite, KeepsPermissionsAndACrLfFileStaysCrLf) {
  TempDir d;
  std::string crlf;
  for (char c : std::string(kRegistry)) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  d.write("reg.py", crlf);
  fs::permissions(d.path + "/reg.py", fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  scan_in(d.path, {"--isolated", "--fix", "reg.py"});
  std::string want = crlf;
  want.replace(want.find("in self.entries]"), 16, "in list(self.entries)]");
  EXPECT_EQ(read_text(d.path + "/reg.py"), want);
  EXPECT_EQ(fs::status(d.path + "/reg.py").permissions(),
            fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  for (const auto& e : fs::directory_iterator(d.path))
    EXPECT_EQ(e.path().filename().string().find(".raceaudit-"), std::string::npos) << "temporary file left behind";
}

TEST(FixStdin, PrintsTheFixedText) {
  TempDir d;
  d.write("reg.py", kRegistry);
  const ShellResult r =
      run_shell("(cd " + shell_quote(d.path) + " && " + shell_quote(default_binary()) +
                " scan --isolated --fix --stdin-filename reg.py - < reg.py 2>/dev/null)");
  std::string want = kRegistry;
  want.replace(want.find("in self.entries]"), 16, "in list(self.entries)]");
  EXPECT_EQ(r.output, want);
  EXPECT_EQ(r.exit_code, 0);
}

// The fix in the JSON report, as ruff writes it: applicability, message,
// edits with content, location and end_location (characters).
TEST(FixReport, JsonCarriesTheFixAsRuffDoes) {
  TempDir d;
  d.write("reg.py", kRegistry);
  const auto j = parse_json(scan_in(d.path, {"--isolated", "--format", "json", "reg.py"}).out);
  ASSERT_TRUE(j.is_array() && j.size() == 1) << j.dump();
  const auto& fix = j[0]["fix"];
  EXPECT_EQ(fix["applicability"], "safe");
  EXPECT_EQ(fix["message"], "Iterate over a snapshot taken with `list()`");
  ASSERT_EQ(fix["edits"].size(), 2u);
  EXPECT_EQ(fix["edits"][0]["content"], "list(");
  EXPECT_EQ(fix["edits"][0]["location"], (nlohmann::json{{"row", 10}, {"column", 28}}));
  EXPECT_EQ(fix["edits"][0]["end_location"], (nlohmann::json{{"row", 10}, {"column", 28}}));
  EXPECT_EQ(fix["edits"][1]["content"], ")");
  EXPECT_EQ(fix["edits"][1]["location"], (nlohmann::json{{"row", 10}, {"column", 40}}));
}

TEST(FixReport, SarifCarriesTheFixAsReplacements) {
  TempDir d;
  d.write("reg.py", kRegistry);
  const auto log = parse_json(scan_in(d.path, {"--isolated", "--format", "sarif", "reg.py"}).out);
  const auto& result = log["runs"][0]["results"][0];
  ASSERT_TRUE(result["fixes"].is_array()) << result.dump();
  const auto& fix = result["fixes"][0];
  EXPECT_EQ(fix["description"]["text"], "Iterate over a snapshot taken with `list()`");
  EXPECT_EQ(fix["properties"]["applicability"], "safe");
  const auto& change = fix["artifactChanges"][0];
  EXPECT_EQ(change["artifactLocation"]["uri"], result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]);
  const auto& r = change["replacements"];
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0]["deletedRegion"],
            (nlohmann::json{{"startLine", 10}, {"startColumn", 28}, {"endLine", 10}, {"endColumn", 28}}));
  EXPECT_EQ(r[0]["insertedContent"]["text"], "list(");
  EXPECT_EQ(r[1]["deletedRegion"]["startColumn"], 40);
  EXPECT_EQ(r[1]["insertedContent"]["text"], ")");
}

TEST(FixReport, NoFixIsNullInJsonAndAbsentInSarif) {
  TempDir d;
  // The update shares its line with the `if`: no lock fix can wrap it.
  d.write("c.py",
          "import threading\n"
          "\n"
          "class Counter:\n"
          "    def __init__(self):\n"
          "        self._lock = threading.Lock()\n"
          "        self.hits = 0\n"
          "    def hit(self, ok):\n"
          "        if ok: self.hits += 1\n");
  const auto j = parse_json(scan_in(d.path, {"--isolated", "--format", "json", "c.py"}).out);
  EXPECT_TRUE(j[0]["fix"].is_null()) << j.dump();
  const auto log = parse_json(scan_in(d.path, {"--isolated", "--format", "sarif", "c.py"}).out);
  EXPECT_FALSE(log["runs"][0]["results"][0].contains("fixes"));
}

}  // namespace
}  // namespace raceaudit::testing
