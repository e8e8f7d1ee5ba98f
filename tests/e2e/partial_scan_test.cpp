// Partial scans and the project root: a scan of some files of a project links
// against the whole project and reports only those files, with the findings a
// whole-project scan gives them; baselines and SARIF name files relative to
// the project root, wherever the scan runs from and however the paths are
// spelt; a partial scan calls no other file's baseline entries stale and
// refuses to write a baseline.
#include <gtest/gtest.h>

#include "e2e/run_binary.h"
#include "report/support.h"

namespace raceaudit::testing {
namespace {

// The lock is created in base.py: only with it linked is the counter in
// counter.py known to belong to a class that means to be thread safe.
const std::string kBase =
    "import threading\n"
    "\n"
    "class Base:\n"
    "    def __init__(self):\n"
    "        self._lock = threading.Lock()\n"
    "        self.items = []\n"
    "\n"
    "    def drain(self):\n"
    "        for item in self.items:\n"
    "            print(item)\n";

const std::string kCounter =
    "from pkg.base import Base\n"
    "\n"
    "class Counter(Base):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.hits = 0\n"
    "\n"
    "    def hit(self):\n"
    "        self.hits += 1\n"
    "        self.items.append(self.hits)\n"
    "        self.items = []\n";

struct Project {
  TempDir d;
  Project() {
    d.write("pyproject.toml", "[tool.raceaudit]\nmin-confidence = \"medium\"\n");
    d.write("pkg/__init__.py", "");
    d.write("pkg/base.py", kBase);
    d.write("pkg/counter.py", kCounter);
  }
};

nlohmann::json only_file(const nlohmann::json& findings, const std::string& filename) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& f : findings)
    if (f["filename"] == filename) out.push_back(f);
  return out;
}

TEST(PartialScan, OneFileGetsTheFindingsOfTheWholeProjectScan) {
  Project p;
  const auto whole = parse_json(scan_in(p.d.path, {"--format", "json"}).out);
  ASSERT_TRUE(whole.is_array());
  const auto expected = only_file(whole, "pkg/counter.py");
  ASSERT_FALSE(expected.empty()) << whole.dump(2);
  const auto one = scan_in(p.d.path, {"--format", "json", "pkg/counter.py"});
  EXPECT_EQ(parse_json(one.out), expected) << one.err;
  const auto text = scan_in(p.d.path, {"pkg/counter.py"});
  EXPECT_NE(text.out.find("in 1 file"), std::string::npos) << "only the named file counts: " << text.out;
  // --isolated scans exactly what it is given.
  const auto alone = parse_json(scan_in(p.d.path, {"--isolated", "--format", "json", "pkg/counter.py"}).out);
  EXPECT_NE(alone, expected) << "the case needs the other file to be linked: " << alone.dump(2);
}

TEST(PartialScan, GitWorkTreeIsAProjectRootToo) {
  Project p;
  p.d.write("pyproject.toml", "[project]\nname = \"demo\"\n");
  const auto g = git_init(p.d.path);
  ASSERT_EQ(g.exit_code, 0) << g.output;
  const auto whole = parse_json(scan_in(p.d.path, {"--format", "json"}).out);
  const auto one = parse_json(scan_in(p.d.path + "/pkg", {"--format", "json", "counter.py"}).out);
  const auto expected = only_file(whole, "pkg/counter.py");
  ASSERT_FALSE(expected.empty());
  ASSERT_EQ(one.size(), expected.size()) << one.dump(2);
  for (size_t i = 0; i < one.size(); ++i) {
    EXPECT_EQ(one[i]["fingerprint"], expected[i]["fingerprint"]) << "fingerprints are relative to the root";
    EXPECT_EQ(one[i]["confidence"], expected[i]["confidence"]);
  }
}

TEST(PartialScan, BaselineWrittenAtTheRootMatchesAScanFromASubdirectory) {
  Project p;
  const auto w = scan_in(p.d.path, {"--write-baseline", "baseline.json"});
  ASSERT_EQ(w.exit_code, 0) << w.err;
  const auto baseline = parse_json(read_text(p.d.path + "/baseline.json"));
  for (const auto& e : baseline["findings"]) EXPECT_EQ(e["filename"].get<std::string>().rfind("pkg/", 0), 0u) << e;
  const auto sub = scan_in(p.d.path + "/pkg", {"--baseline", "../baseline.json"});
  EXPECT_EQ(sub.exit_code, 0) << sub.out << sub.err;
  EXPECT_EQ(sub.err, "") << sub.err;
  const auto abs = scan_in("/", {"--baseline", p.d.path + "/baseline.json", p.d.path});
  EXPECT_EQ(abs.exit_code, 0) << "absolute paths from elsewhere: " << abs.out << abs.err;
}

TEST(PartialScan, NeverCallsEntriesOfUnscannedFilesStale) {
  Project p;
  ASSERT_EQ(scan_in(p.d.path, {"--write-baseline", "baseline.json"}).exit_code, 0);
  const auto one = scan_in(p.d.path, {"--baseline", "baseline.json", "pkg/counter.py"});
  EXPECT_EQ(one.exit_code, 0) << one.out;
  EXPECT_EQ(one.err, "") << one.err;
  p.d.write("pkg/counter.py", "from pkg.base import Base\n");  // its findings fixed: its entries are stale
  const auto fixed = scan_in(p.d.path, {"--baseline", "baseline.json", "pkg/counter.py"});
  EXPECT_NE(fixed.err.find("pkg/counter.py"), std::string::npos) << fixed.err;
  EXPECT_EQ(fixed.err.find("pkg/base.py"), std::string::npos) << fixed.err;
}

TEST(PartialScan, WritingABaselineFromAPartialScanIsRefused) {
  Project p;
  const auto r = scan_in(p.d.path, {"--write-baseline", "baseline.json", "pkg/counter.py"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(r.err.rfind("raceaudit: error: --write-baseline", 0), 0u) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_FALSE(run_shell("test -e " + shell_quote(p.d.path + "/baseline.json")).exit_code == 0);
  const auto one = scan_in(p.d.path + "/pkg", {"--write-baseline", "../baseline.json", "counter.py"});
  EXPECT_EQ(one.exit_code, 2) << "from a subdirectory too: " << one.err;
  // A directory is a scope a CI job repeats (`scan src/`): it may write one.
  const auto dir = scan_in(p.d.path, {"--write-baseline", "baseline.json", "pkg"});
  EXPECT_EQ(dir.exit_code, 0) << dir.err;
}

TEST(PartialScan, SarifUrisAreRelativeToTheProjectRootForAnAbsolutePath) {
  Project p;
  for (const std::string& cwd : {std::string("/"), p.d.path + "/pkg"}) {
    const auto r = scan_in(cwd, {"--format", "sarif", p.d.path + "/pkg/counter.py"});
    const auto sarif = parse_json(r.out);
    const auto& results = sarif["runs"][0]["results"];
    ASSERT_FALSE(results.empty()) << r.out << r.err;
    for (const auto& res : results) {
      const auto& art = res["locations"][0]["physicalLocation"]["artifactLocation"];
      EXPECT_EQ(art["uri"], "pkg/counter.py") << cwd;
      EXPECT_EQ(art["uriBaseId"], "%SRCROOT%");
    }
  }
}

}  // namespace
}  // namespace raceaudit::testing
