// Suppression comments, end to end: `# raceaudit: ignore[CODES]`,
// `# raceaudit: ignore`, `# raceaudit: ignore-file`, `# thread_safe_ok`, on
// the first or last line of a multi-line statement, and
// --report-unused-suppressions.
#include <gtest/gtest.h>

#include "e2e/run_binary.h"

namespace raceaudit::testing {
namespace {

// A class that uses a lock, so that `self.hits += 1` (line 9) is RA001, high.
std::string counter(const std::string& hit_line, const std::string& before = "") {
  return before +
         "import threading\n"
         "\n"
         "class Counter:\n"
         "    def __init__(self):\n"
         "        self._lock = threading.Lock()\n"
         "        self.hits = 0\n"
         "\n"
         "    def hit(self):\n" +
         hit_line + "\n";
}

RunResult scan(const TempDir& d, std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"scan", "--isolated"};
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back(".");
  return run_raceaudit(args, d.path);
}

bool reported(const RunResult& r) { return r.out.find("RA001") != std::string::npos; }

TEST(Suppression, WithoutACommentTheFindingIsReported) {
  TempDir d;
  d.write("c.py", counter("        self.hits += 1"));
  const auto r = scan(d);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(reported(r)) << r.out;
}

TEST(Suppression, IgnoreWithTheCodeSilencesTheLineAndExitsZero) {
  TempDir d;
  d.write("c.py", counter("        self.hits += 1  # raceaudit: ignore[RA001]"));
  const auto r = scan(d);
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_FALSE(reported(r)) << r.out;
  EXPECT_NE(r.out.find("1 suppressed"), std::string::npos) << r.out;
}

TEST(Suppression, IgnoreWithAnotherCodeDoesNotSilence) {
  TempDir d;
  d.write("c.py", counter("        self.hits += 1  # raceaudit: ignore[RA003]"));
  EXPECT_TRUE(reported(scan(d)));
}

TEST(Suppression, SeveralCodesWithOrWithoutSpacesAnyCase) {
  for (const char* comment : {"# raceaudit: ignore[RA003,RA001]", "# raceaudit: ignore[RA003, RA001]",
                              "# raceaudit: ignore[ra001]", "#raceaudit:ignore[RA001]"}) {
    TempDir d;
    d.write("c.py", counter(std::string("        self.hits += 1  ") + comment));
    const auto r = scan(d);
    EXPECT_FALSE(reported(r)) << comment << '\n' << r.out;
  }
}

TEST(Suppression, CodePrefixSilencesTheFamily) {
  TempDir d;
  d.write("c.py", counter("        self.hits += 1  # raceaudit: ignore[RA00]"));
  EXPECT_FALSE(reported(scan(d)));
}

TEST(Suppression, BareIgnoreSilencesEveryRule) {
  TempDir d;
  d.write("c.py", counter("        self.hits += 1  # raceaudit: ignore"));
  const auto r = scan(d);
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_FALSE(reported(r)) << r.out;
}

TEST(Suppression, ThreadSafeOkConvention) {
  TempDir d;
  d.write("c.py", counter("        self.hits += 1  # thread_safe_ok: only the owner thread calls hit()"));
  const auto r = scan(d);
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("1 suppressed"), std::string::npos) << r.out;
}

TEST(Suppression, IgnoreFileSilencesTheWholeFileOnly) {
  TempDir d;
  d.write("quiet.py", counter("        self.hits += 1", "# raceaudit: ignore-file\n"));
  d.write("loud.py", counter("        self.hits += 1"));
  const auto r = scan(d);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out.find("quiet.py"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("loud.py:9:9: RA001"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1 suppressed"), std::string::npos) << r.out;
}

TEST(Suppression, MarkerInAStringIsNoSuppression) {
  TempDir d;
  d.write("c.py", counter("        self.hits += 1; note = \"# raceaudit: ignore\""));
  EXPECT_TRUE(reported(scan(d)));
}

// A marker on its own line inside a triple-quoted string is text, not a
// comment: it silences nothing and is not an unused suppression either.
TEST(Suppression, MarkerInsideATripleQuotedStringIsNoSuppression) {
  TempDir d;
  d.write("c.py", counter("        self.hits += 1  # x\n"
                          "        doc = \"\"\"\n"
                          "# raceaudit: ignore-file\n"
                          "        # raceaudit: ignore\n"
                          "\"\"\""));
  d.write("d.py", counter("        self.hits += 1; note = '''\n# raceaudit: ignore[RA001]\n'''"));
  const auto r = scan(d, {"--report-unused-suppressions"});
  EXPECT_NE(r.out.find("c.py:9:9: RA001"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("d.py:9:9: RA001"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("unused suppression"), std::string::npos) << r.out;
}

TEST(Suppression, CommentOnTheLineAboveDoesNotSilence) {
  TempDir d;
  d.write("c.py", counter("        # raceaudit: ignore[RA001]\n        self.hits += 1"));
  EXPECT_TRUE(reported(scan(d)));
}

// `self.hits = (self.hits + 1)` spread over four lines.
std::string multi_line(const char* first, const char* middle, const char* last) {
  return counter(std::string("        self.hits = (  ") + first + "\n            self.hits  " + middle +
                 "\n            + 1\n        )  " + last);
}

TEST(Suppression, MultiLineStatementIsReportedWithoutAComment) {
  TempDir d;
  d.write("c.py", multi_line("", "", ""));
  const auto r = scan(d);
  EXPECT_TRUE(reported(r)) << r.out;
}

TEST(Suppression, MultiLineStatementOnItsFirstLine) {
  TempDir d;
  d.write("c.py", multi_line("# raceaudit: ignore[RA001]", "", ""));
  EXPECT_FALSE(reported(scan(d)));
}

TEST(Suppression, MultiLineStatementOnItsLastLine) {
  TempDir d;
  d.write("c.py", multi_line("", "", "# raceaudit: ignore[RA001]"));
  EXPECT_FALSE(reported(scan(d)));
  TempDir e;
  e.write("c.py", multi_line("", "", "# thread_safe_ok"));
  EXPECT_FALSE(reported(scan(e)));
}

TEST(Suppression, MultiLineStatementNotOnAMiddleLine) {
  TempDir d;
  d.write("c.py", multi_line("", "# raceaudit: ignore[RA001]", ""));
  EXPECT_TRUE(reported(scan(d)));
}

TEST(Suppression, UnusedSuppressionsAreReportedOnlyWhenAskedAndFailTheRun) {
  TempDir d;
  d.write("c.py", counter("        self.hits += 1  # raceaudit: ignore[RA001]") +
                      "\n    def clean(self):\n        return 1  # raceaudit: ignore[RA003]\n");
  const auto quiet = scan(d);
  EXPECT_EQ(quiet.exit_code, 0) << quiet.out;
  EXPECT_EQ(quiet.out.find("unused"), std::string::npos) << quiet.out;

  const auto r = scan(d, {"--report-unused-suppressions"});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("c.py:12:1: unused suppression comment"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("c.py:9:1: unused"), std::string::npos) << "the used one is not listed: " << r.out;
  EXPECT_NE(r.out.find("1 unused suppression"), std::string::npos) << r.out;
  EXPECT_EQ(scan(d, {"--report-unused-suppressions", "--exit-zero"}).exit_code, 0);
}

TEST(Suppression, UnusedSuppressionsInMachineFormats) {
  TempDir d;
  d.write("c.py", "def f():\n    return 1  # raceaudit: ignore\n");
  const auto github = scan(d, {"--report-unused-suppressions", "--format", "github"});
  EXPECT_NE(github.out.find("::warning file=c.py,line=2,title=raceaudit::unused suppression comment"),
            std::string::npos)
      << github.out;
  const auto json = scan(d, {"--report-unused-suppressions", "--format", "json"});
  EXPECT_EQ(json.out, "[]\n") << "the JSON array holds findings only";
  EXPECT_NE(json.err.find("c.py:2: unused suppression comment"), std::string::npos) << json.err;
  EXPECT_EQ(json.exit_code, 1);
}

}  // namespace
}  // namespace raceaudit::testing
