// `scan --evidence FILE`: the findings a `raceaudit confirm` report saw race
// at run time are marked in every format and listed first, matched by
// fingerprint or by site; `--select-confirmed` keeps only them; entries that
// match nothing are a warning; a bad evidence file is a one-line error (exit 2).
#include <gtest/gtest.h>

#include "e2e/run_binary.h"
#include "report/support.h"

namespace raceaudit::testing {
namespace {

// RA001 at line 11, RA005 at line 15 (checked at line 14), RA007 at line 23.
const std::string kCounter =
    "import threading\n"
    "\n"
    "\n"
    "class Counter:\n"
    "    def __init__(self):\n"
    "        self._lock = threading.Lock()\n"
    "        self.hits = 0\n"
    "        self.seen = {}\n"
    "\n"
    "    def hit(self):\n"
    "        self.hits += 1\n"
    "\n"
    "    def see(self, key):\n"
    "        if key not in self.seen:\n"
    "            self.seen[key] = 1\n"
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
  args.push_back("pkg");
  return run_raceaudit(args, d.path);
}

// A confirm report entry in the shape docs/confirm.md gives.
nlohmann::json entry(const nlohmann::json& fingerprint, const std::string& file, int row, int partner_row,
                     const std::string& status) {
  return {{"fingerprint", fingerprint},
          {"code", nullptr},
          {"site", {{"filename", file}, {"row", row}}},
          {"partner", {{"filename", file}, {"row", partner_row}}},
          {"status", status},
          {"interpreter", "python3.11"},
          {"trials", 10},
          {"reached_threads", 4},
          {"overlaps", status == "confirmed" ? 9 : 0},
          {"manifested", status == "confirmed" ? 2 : 0},
          {"failure", status == "confirmed" ? nlohmann::json("KeyError: 'k'") : nlohmann::json(nullptr)},
          {"stacks", nlohmann::json::array()}};
}

struct Project {
  TempDir d;
  std::map<int, std::string> fingerprint_at;  // line -> fingerprint, from the scan's own JSON
  Project() {
    d.write("pkg/counter.py", kCounter);
    const auto j = parse_json(scan(d, {"--format", "json"}).out);
    for (const auto& f : j) fingerprint_at[f["location"]["row"].get<int>()] = f["fingerprint"];
  }
  void evidence(const std::vector<nlohmann::json>& entries) {
    d.write("confirm.json", nlohmann::json{{"version", 1}, {"tool", "raceaudit confirm"}, {"findings", entries}}.dump());
  }
};

std::vector<std::string> text_lines(const std::string& out) {
  std::vector<std::string> lines;
  for (size_t start = 0, end; (end = out.find('\n', start)) != std::string::npos; start = end + 1)
    lines.push_back(out.substr(start, end - start));
  return lines;
}

TEST(Evidence, ConfirmedByFingerprintIsMarkedAndListedFirst) {
  Project p;
  ASSERT_EQ(p.fingerprint_at.size(), 3u);
  p.evidence({entry(p.fingerprint_at[23], "pkg/counter.py", 23, 23, "confirmed")});
  const auto r = scan(p.d, {"--evidence", "confirm.json", "-q"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.err, "");
  const auto lines = text_lines(r.out);
  ASSERT_EQ(lines.size(), 3u) << r.out;
  EXPECT_EQ(lines[0].rfind("pkg/counter.py:23:5: RA007 ", 0), 0u) << lines[0];
  EXPECT_NE(lines[0].find("[medium, confirmed]"), std::string::npos) << lines[0];
  EXPECT_EQ(lines[1].rfind("pkg/counter.py:11:", 0), 0u) << "the others keep their order";
  EXPECT_EQ(lines[1].find("confirmed"), std::string::npos);
  EXPECT_EQ(lines[2].rfind("pkg/counter.py:15:", 0), 0u);
}

TEST(Evidence, JsonAndSarifCarryTheRuntimeEvidence) {
  Project p;
  p.evidence({entry(p.fingerprint_at[11], "pkg/counter.py", 11, 11, "confirmed")});
  const auto j = parse_json(scan(p.d, {"--evidence", "confirm.json", "--format", "json"}).out);
  ASSERT_EQ(j.size(), 3u);
  EXPECT_EQ(j[0]["location"]["row"], 11);
  const auto& ev = j[0]["evidence"].back();
  EXPECT_EQ(ev["kind"], "confirmed");
  const std::string message = ev["message"];
  EXPECT_NE(message.find("in 9 of 10 trials under python3.11"), std::string::npos) << message;
  EXPECT_NE(message.find("KeyError: 'k'"), std::string::npos) << message;
  for (size_t i = 1; i < j.size(); ++i)
    for (const auto& e : j[i]["evidence"]) EXPECT_NE(e["kind"], "confirmed");

  const auto s = parse_json(scan(p.d, {"--evidence", "confirm.json", "--format", "sarif"}).out);
  const auto& results = s["runs"][0]["results"];
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0]["properties"]["confirmed"], true);
  EXPECT_EQ(results[0]["properties"]["evidence"].back()["kind"], "confirmed");
  EXPECT_FALSE(results[1]["properties"].contains("confirmed"));
}

TEST(Evidence, SiteEntriesMatchByFileLineAndPartnerLine) {
  Project p;
  // RA005 is reported at line 15 with its check at line 14: a site entry
  // must name both; one with another partner line is about something else.
  p.evidence({entry(nullptr, "./pkg/counter.py", 15, 14, "confirmed"),
              entry(nullptr, "pkg/counter.py", 11, 14, "confirmed")});
  const auto r = scan(p.d, {"--evidence", "confirm.json", "--format", "json"});
  const auto j = parse_json(r.out);
  ASSERT_EQ(j.size(), 3u);
  EXPECT_EQ(j[0]["location"]["row"], 15);
  EXPECT_EQ(j[0]["evidence"].back()["kind"], "confirmed");
  EXPECT_EQ(r.err,
            "raceaudit: warning: 1 entry of confirm.json matched no finding (the code changed since the confirm run, "
            "or this scan does not report them)\n");
}

TEST(Evidence, ReachedWithoutOverlapIsEvidenceButNotConfirmed) {
  Project p;
  p.evidence({entry(p.fingerprint_at[15], "pkg/counter.py", 15, 14, "reached"),
              entry(p.fingerprint_at[23], "pkg/counter.py", 23, 23, "not-reached")});
  const auto j = parse_json(scan(p.d, {"--evidence", "confirm.json", "--format", "json"}).out);
  ASSERT_EQ(j.size(), 3u);
  EXPECT_EQ(j[0]["location"]["row"], 11) << "nothing confirmed: the usual order";
  EXPECT_EQ(j[1]["evidence"].back()["kind"], "runtime-reached");
  EXPECT_EQ(j[2]["evidence"].back()["kind"], "runtime-not-reached");
  EXPECT_EQ(scan(p.d, {"--evidence", "confirm.json", "--select-confirmed", "-q"}).exit_code, 0)
      << "a gate on observed races passes when none was observed";
}

TEST(Evidence, SelectConfirmedKeepsOnlyObservedRaces) {
  Project p;
  p.evidence({entry(p.fingerprint_at[15], "pkg/counter.py", 15, 14, "confirmed"),
              entry(p.fingerprint_at[11], "pkg/counter.py", 11, 11, "reached")});
  const auto r = scan(p.d, {"--evidence", "confirm.json", "--select-confirmed", "-q"});
  EXPECT_EQ(r.exit_code, 1);
  const auto lines = text_lines(r.out);
  ASSERT_EQ(lines.size(), 1u) << r.out;
  EXPECT_EQ(lines[0].rfind("pkg/counter.py:15:13: RA005 ", 0), 0u) << lines[0];

  const auto alone = scan(p.d, {"--select-confirmed"});
  EXPECT_EQ(alone.exit_code, 2);
  EXPECT_EQ(alone.err, "raceaudit: error: --select-confirmed requires --evidence\n");
}

TEST(Evidence, BadEvidenceFilesAreOneLineErrors) {
  Project p;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "cannot read evidence file missing.json: "},
      {"{", "evidence file bad.json is not valid JSON; "},
      {"[]", "evidence file bad.json is not a raceaudit confirm report"},
      {R"({"version": 2, "findings": []})", "evidence file bad.json has a format version this raceaudit does not read"},
      {R"({"version": 1, "findings": [{"site": {"filename": "a.py", "row": 1}, "partner": {"filename": "a.py", "row": 1},
           "status": "maybe"}]})",
       "evidence file bad.json: findings[0]: \"status\" must be"},
      {R"({"version": 1, "findings": [{"site": {"filename": "a.py", "row": 0}}]})",
       "evidence file bad.json: findings[0]: \"site\" must be"},
      {std::string(100, '[') + std::string(100, ']'), "evidence file bad.json is nested deeper than 64 levels"}};
  for (const auto& [content, error] : cases) {
    const std::string file = content.empty() ? "missing.json" : "bad.json";
    if (!content.empty()) p.d.write(file, content);
    const auto r = scan(p.d, {"--evidence", file});
    EXPECT_EQ(r.exit_code, 2) << content;
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err.rfind("raceaudit: error: " + error, 0), 0u) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
}

}  // namespace
}  // namespace raceaudit::testing
