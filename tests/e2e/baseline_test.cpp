// Baselines, end to end: --write-baseline records the findings, --baseline
// reports only new ones; fingerprints survive line shifts and comment edits
// but not a copy of the statement in another function; stale entries are
// noted; a bad baseline file is a one-line error (exit 2).
#include <gtest/gtest.h>

#include "e2e/run_binary.h"
#include "report/support.h"

namespace raceaudit::testing {
namespace {

const std::string kHeader =
    "import threading\n"
    "\n"
    "\n"
    "class Counter:\n"
    "    def __init__(self):\n"
    "        self._lock = threading.Lock()\n"
    "        self.hits = 0\n"
    "\n";

const std::string kHit =
    "    def hit(self):\n"
    "        self.hits += 1\n";

const std::string kGlobal =
    "\n"
    "\n"
    "MODE = 'fast'\n"
    "\n"
    "\n"
    "def set_mode(mode):\n"
    "    global MODE\n"
    "    MODE = mode\n";

RunResult scan(const TempDir& d, std::vector<std::string> extra) {
  std::vector<std::string> args{"scan", "--isolated"};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_raceaudit(args, d.path);
}

size_t count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
  return n;
}

size_t lines(const std::string& s) { return count(s, "\n"); }

// A project with two accepted findings (RA001 at line 10, RA007 at line 18) and its baseline.
struct Accepted {
  TempDir d;
  Accepted() {
    d.write("pkg/counter.py", kHeader + kHit + kGlobal);
    const auto w = scan(d, {"--write-baseline", "baseline.json", "pkg"});
    EXPECT_EQ(w.exit_code, 0) << w.err;
  }
};

TEST(Baseline, WriteRecordsEveryFindingForHumansAndExitsZero) {
  Accepted a;
  const auto before = scan(a.d, {"pkg"});
  ASSERT_EQ(before.exit_code, 1);
  const auto j = parse_json(read_text(a.d.path + "/baseline.json"));
  ASSERT_TRUE(j.is_object()) << read_text(a.d.path + "/baseline.json");
  EXPECT_EQ(j["raceaudit_baseline"], 1);
  ASSERT_EQ(j["findings"].size(), 2u);
  const auto& e = j["findings"][0];
  for (const char* key : {"fingerprint", "code", "filename", "scope", "target", "message"})
    EXPECT_TRUE(e.contains(key) && e[key].is_string()) << key;
  EXPECT_EQ(e["filename"], "pkg/counter.py");
  EXPECT_EQ(e["scope"], "Counter.hit");
  EXPECT_EQ(e["target"], "self.hits");
  EXPECT_EQ(j["findings"][1]["code"], "RA007");

  const auto again = scan(a.d, {"--write-baseline", "baseline.json", "pkg"});
  EXPECT_EQ(again.out, "") << "writing a baseline prints no report";
  EXPECT_EQ(again.err, "raceaudit: wrote 2 findings to baseline.json\n");
}

TEST(Baseline, BaselineFileMatchesItsSchema) {
  const std::string python = python_with_jsonschema();
  if (python.empty()) GTEST_SKIP() << "no python3 with jsonschema (Debian: python3-jsonschema)";
  Accepted a;
  EXPECT_EQ(validate_with_jsonschema(python, std::string(RACEAUDIT_SOURCE_DIR) + "/docs/baseline.schema.json",
                                     a.d.path + "/baseline.json"),
            "");
}

TEST(Baseline, KnownFindingsAreNotReported) {
  Accepted a;
  const auto r = scan(a.d, {"--baseline", "baseline.json", "pkg"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_NE(r.out.find("No hazards found in 1 file; 2 in the baseline."), std::string::npos) << r.out;
}

TEST(Baseline, FindingShiftedTwentyLinesByAnUnrelatedEditStaysBaselined) {
  Accepted a;
  std::string unrelated = "import os\n\n\ndef helper(path):\n    return os.path.basename(path)\n";
  while (lines(unrelated) < 20) unrelated += "# padding\n";
  ASSERT_EQ(lines(unrelated), 20u);
  a.d.write("pkg/counter.py", unrelated + kHeader + kHit + kGlobal);
  const auto shifted = scan(a.d, {"pkg"});
  ASSERT_NE(shifted.out.find("counter.py:30:9: RA001"), std::string::npos) << "moved down 20 lines: " << shifted.out;
  const auto r = scan(a.d, {"--baseline", "baseline.json", "pkg"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.err, "") << "no stale entries";
}

TEST(Baseline, EditedTrailingCommentOrIndentationKeepsTheFingerprint) {
  Accepted a;
  a.d.write("pkg/counter.py", kHeader + "    def hit(self):\n        self.hits  +=  1  # TODO: lock\n" + kGlobal);
  EXPECT_EQ(scan(a.d, {"--baseline", "baseline.json", "pkg"}).exit_code, 0);
}

TEST(Baseline, IdenticalStatementInAnotherFunctionIsReported) {
  Accepted a;
  a.d.write("pkg/counter.py", kHeader + kHit + "\n    def hit_again(self):\n        self.hits += 1\n" + kGlobal);
  const auto r = scan(a.d, {"--baseline", "baseline.json", "pkg"});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_EQ(count(r.out, "RA001"), 1u) << r.out;
  EXPECT_NE(r.out.find("counter.py:13:9: RA001"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Counter.hit_again"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Found 1 hazard"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2 in the baseline"), std::string::npos) << r.out;
}

TEST(Baseline, ACopyInTheSameFunctionIsReportedOnce) {
  Accepted a;
  a.d.write("pkg/counter.py", kHeader + kHit + "        self.hits += 1\n" + kGlobal);
  const auto r = scan(a.d, {"--baseline", "baseline.json", "pkg"});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_EQ(count(r.out, ": RA001 "), 1u) << r.out;
}

TEST(Baseline, FixedFindingLeavesAStaleEntryNote) {
  Accepted a;
  a.d.write("pkg/counter.py", kHeader + "    def hit(self):\n        with self._lock:\n            self.hits += 1\n" + kGlobal);
  const auto r = scan(a.d, {"--baseline", "baseline.json", "pkg"});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.err.find("raceaudit: note: 1 entry of baseline.json matched no finding"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("pkg/counter.py: RA001 in Counter.hit on `self.hits`"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("1 baseline entry no longer matches"), std::string::npos) << r.out;
  EXPECT_EQ(scan(a.d, {"--baseline", "baseline.json", "--quiet", "pkg"}).err, "") << "--quiet drops notes";
}

TEST(Baseline, EntriesOfUnselectedRulesAreNotStale) {
  Accepted a;
  const auto r = scan(a.d, {"--baseline", "baseline.json", "--select", "RA007", "pkg"});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.err, "") << r.err;
}

TEST(Baseline, EntriesOfFilesThisRunDoesNotScanAreNotStale) {
  Accepted a;
  a.d.write("other/m.py", "x = 1\n");
  const auto elsewhere = scan(a.d, {"--baseline", "baseline.json", "other"});
  EXPECT_EQ(elsewhere.exit_code, 0) << elsewhere.out;
  EXPECT_EQ(elsewhere.err, "") << elsewhere.err;
  const auto excluded = scan(a.d, {"--baseline", "baseline.json", "--exclude", "counter.py", "."});
  EXPECT_EQ(excluded.err, "") << excluded.err;
}

TEST(Baseline, MachineFormatsCarryOnlyNewFindings) {
  Accepted a;
  a.d.write("pkg/counter.py", kHeader + kHit + "\n    def hit_again(self):\n        self.hits += 1\n" + kGlobal);
  const auto json = parse_json(scan(a.d, {"--baseline", "baseline.json", "--format", "json", "pkg"}).out);
  ASSERT_TRUE(json.is_array());
  ASSERT_EQ(json.size(), 1u);
  EXPECT_EQ(json[0]["scope"], "Counter.hit_again");
  const auto sarif = parse_json(scan(a.d, {"--baseline", "baseline.json", "--format", "sarif", "pkg"}).out);
  EXPECT_EQ(sarif["runs"][0]["results"].size(), 1u);
}

TEST(Baseline, ExitZeroStillWins) {
  Accepted a;
  a.d.write("pkg/counter.py", kHeader + kHit + "\n    def hit_again(self):\n        self.hits += 1\n" + kGlobal);
  EXPECT_EQ(scan(a.d, {"--baseline", "baseline.json", "--exit-zero", "pkg"}).exit_code, 0);
}

TEST(Baseline, AbsolutePathsBelowTheWorkingDirectoryMatchRelativeOnes) {
  Accepted a;
  const auto r = scan(a.d, {"--baseline", "baseline.json", a.d.path + "/pkg"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

void expect_one_line_error(const RunResult& r, const std::string& needle) {
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_EQ(lines(r.err), 1u) << r.err;
  EXPECT_EQ(r.err.rfind("raceaudit: error: ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find(needle), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST(Baseline, MissingFileIsAnError) {
  TempDir d;
  d.write("m.py", kHeader + kHit);
  expect_one_line_error(scan(d, {"--baseline", "nope.json", "."}), "cannot read baseline nope.json");
}

TEST(Baseline, MalformedFilesAreErrors) {
  TempDir d;
  d.write("m.py", kHeader + kHit);
  d.write("text.json", "not json at all\n");
  expect_one_line_error(scan(d, {"--baseline", "text.json", "."}), "text.json is not valid JSON");
  d.write("array.json", "[]\n");
  expect_one_line_error(scan(d, {"--baseline", "array.json", "."}), "array.json is not a raceaudit baseline");
  d.write("v2.json", "{\"raceaudit_baseline\": 2, \"findings\": []}\n");
  expect_one_line_error(scan(d, {"--baseline", "v2.json", "."}), "v2.json has format version 2");
  d.write("entry.json", "{\"raceaudit_baseline\": 1, \"findings\": [{\"code\": \"RA001\"}]}\n");
  expect_one_line_error(scan(d, {"--baseline", "entry.json", "."}), "findings[0]: missing \"fingerprint\"");
}

TEST(Baseline, UnwritableBaselineIsAnError) {
  TempDir d;
  d.write("m.py", kHeader + kHit);
  expect_one_line_error(scan(d, {"--write-baseline", "no/such/dir/baseline.json", "."}),
                        "cannot write baseline no/such/dir/baseline.json");
}

}  // namespace
}  // namespace raceaudit::testing
