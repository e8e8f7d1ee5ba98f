// The pieces of autofix that work on text alone: applying edits in one pass
// (overlaps, character columns, line endings), the unified diff, and the
// placement of suppression comments.
#include <gtest/gtest.h>

#include "fix/apply.h"
#include "fix/diff.h"
#include "fix/suppress.h"
#include "fix/vet.h"
#include "parse/comment_lines.h"

namespace raceaudit {
namespace {

Edit insert(uint32_t line, uint32_t col, std::string s) { return {Span{line, col, line, col}, std::move(s)}; }
Edit replace(uint32_t l1, uint32_t c1, uint32_t l2, uint32_t c2, std::string s) {
  return {Span{l1, c1, l2, c2}, std::move(s)};
}
Fix fix(std::vector<Edit> edits) { return Fix{Applicability::Safe, "m", std::move(edits)}; }

TEST(ApplyFixes, InsertsAndReplacesAndReportsTheNewLines) {
  const Fix a = fix({insert(1, 10, "list("), insert(1, 11, ")")});  // for k in d: -> for k in list(d):
  const Fix b = fix({replace(3, 1, 4, 13, "d.pop(k, None)")});
  const ApplyResult r = apply_fixes("for k in d:\n    pass\nif k in d:\n    del d[k]\nx = 1\n", {&b, &a});
  EXPECT_EQ(r.text, "for k in list(d):\n    pass\nd.pop(k, None)\nx = 1\n");
  ASSERT_EQ(r.applied.size(), 2u);
  EXPECT_EQ(r.applied[0].index, 1u);  // position order: a first
  EXPECT_EQ(r.applied[1].index, 0u);
  EXPECT_EQ(r.applied[1].first_line, 3u);
  EXPECT_EQ(r.applied[1].last_line, 3u);
  EXPECT_TRUE(r.overlapping.empty());
}

TEST(ApplyFixes, ColumnsAreCharactersNotBytes) {
  const Fix a = fix({insert(1, 17, "list("), insert(1, 18, ")")});  // `d` is the 17th character
  EXPECT_EQ(apply_fixes("\xC3\xA9 = 1; for k in d: pass\n", {&a}).text, "\xC3\xA9 = 1; for k in list(d): pass\n");
}

TEST(ApplyFixes, TheFirstByPositionWinsAnOverlap) {
  const Fix first = fix({replace(1, 1, 1, 6, "AAAAA")});
  const Fix second = fix({replace(1, 4, 1, 8, "BBBB")});
  const Fix touching = fix({insert(1, 6, "C")});  // inserts at the end of `first`'s range
  const Fix apart = fix({replace(1, 9, 1, 10, "D")});
  const ApplyResult r = apply_fixes("0123456789\n", {&second, &apart, &first, &touching});
  EXPECT_EQ(r.text, "AAAAA567D9\n");
  EXPECT_EQ(r.overlapping, (std::vector<size_t>{0, 3}));
}

TEST(ApplyFixes, NewLinesFollowTheFile) {
  const Fix a = fix({insert(1, 6, "\nb = 2")});
  EXPECT_EQ(apply_fixes("a = 1\r\nc = 3\r\n", {&a}).text, "a = 1\r\nb = 2\r\nc = 3\r\n");
  EXPECT_EQ(apply_fixes("a = 1\nc = 3\n", {&a}).text, "a = 1\nb = 2\nc = 3\n");
}

TEST(ApplyFixes, AnEditPastTheTextIsNotApplied) {
  const Fix a = fix({insert(9, 1, "x")});
  const Fix b = fix({insert(1, 40, "x")});
  const ApplyResult r = apply_fixes("a = 1\n", {&a, &b});
  EXPECT_EQ(r.text, "a = 1\n");
  EXPECT_EQ(r.unplaceable, (std::vector<size_t>{0, 1}));
}

TEST(ApplyFixes, AnEditTwoFixesMakeAlikeIsMadeOnce) {
  // Two lock fixes of one class: each makes the same new lock, each wraps its own statement.
  const Edit lock = insert(2, 1, "    self._lock = threading.RLock()\n");
  const Fix a = fix({lock, replace(4, 5, 4, 16, "with self._lock:\n        self.a += 1")});
  const Fix b = fix({lock, replace(5, 5, 5, 16, "with self._lock:\n        self.b += 1")});
  const ApplyResult r = apply_fixes("def __init__(self):\n    self.a = 0\ndef f(self):\n    self.a += 1\n    self.b += 1\n", {&a, &b});
  EXPECT_EQ(r.text,
            "def __init__(self):\n    self._lock = threading.RLock()\n    self.a = 0\ndef f(self):\n"
            "    with self._lock:\n        self.a += 1\n    with self._lock:\n        self.b += 1\n");
  EXPECT_TRUE(r.overlapping.empty());
  ASSERT_EQ(r.applied.size(), 2u);
  EXPECT_EQ(r.applied[1].first_line, 2u);  // b's lines include the shared edit
  EXPECT_EQ(r.applied[1].last_line, 8u);
}

TEST(ApplyFixes, AWrapHoldsTheFixesInsideIt) {
  const Fix outer = fix({replace(1, 1, 2, 10, "with L:\n    if q:\n        q.pop()")});
  const Fix inner = fix({replace(2, 5, 2, 12, "with L:\n        q.pop()")});
  EXPECT_EQ(apply_fixes("if q:\n    q.pop()\n", {&inner, &outer}).overlapping, (std::vector<size_t>{0}));
}

TEST(VetFix, AWrapMovesTheRegionRightButNotTheLinesOfAString) {
  const std::string text = "    if q:\n        x = q.pop()\n        log(\"\"\"a\nb\"\"\")  # note\n\n    y = 1\n";
  const LineIndex lines(text);
  std::optional<Fix> f = Fix{Applicability::Unsafe, "m", {}, {}, {Wrap{Span{1, 5, 4, 6}, "with L:"}}};
  vet_fix(f, lines);
  ASSERT_TRUE(f);
  ASSERT_EQ(f->edits.size(), 1u);
  EXPECT_EQ(f->edits[0].content, "with L:\n        if q:\n            x = q.pop()\n            log(\"\"\"a\nb\"\"\")");
  EXPECT_TRUE(f->wraps.empty());
}

TEST(VetFix, AWrapIsDroppedWhenTheRegionSharesALineOrATabIndentsIt) {
  const LineIndex shared("x = 1; q.pop()\n");
  std::optional<Fix> f = Fix{Applicability::Unsafe, "m", {}, {}, {Wrap{Span{1, 8, 1, 15}, "with L:"}}};
  vet_fix(f, shared);
  EXPECT_FALSE(f);
  const LineIndex tabs("    if q:\n\tq.pop()\n");
  f = Fix{Applicability::Unsafe, "m", {}, {}, {Wrap{Span{1, 5, 2, 9}, "with L:"}}};
  vet_fix(f, tabs);
  EXPECT_FALSE(f);
}

TEST(LinesInsideStrings, TripleQuotedAndBackslashContinuedLinesOnly) {
  const std::string text = "a = \"\"\"x\ny\"\"\"\nb = 'p\\\nq'\nc = (1,\n2)  # '\n";
  // line 2 starts inside the triple-quoted string, line 4 after a backslash inside 'p...'
  EXPECT_EQ(lines_inside_strings(text), (std::vector<size_t>{text.find("y"), text.find("q'")}));
}

TEST(UnifiedDiff, EqualTextsGiveNothing) { EXPECT_EQ(unified_diff("f.py", "a\n", "a\n"), ""); }

TEST(UnifiedDiff, OneChangedLineWithContext) {
  EXPECT_EQ(unified_diff("f.py", "1\n2\n3\n4\n5\n6\n7\n8\n", "1\n2\n3\n4\nfive\n6\n7\n8\n"),
            "--- f.py\n+++ f.py\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
}

TEST(UnifiedDiff, FarApartChangesAreSeparateHunks) {
  std::string a, b;
  for (int i = 1; i <= 20; ++i) {
    a += std::to_string(i) + "\n";
    b += (i == 2 ? std::string("two") : i == 18 ? std::string("eighteen") : std::to_string(i)) + "\n";
  }
  EXPECT_EQ(unified_diff("f.py", a, b),
            "--- f.py\n+++ f.py\n"
            "@@ -1,5 +1,5 @@\n 1\n-2\n+two\n 3\n 4\n 5\n"
            "@@ -15,6 +15,6 @@\n 15\n 16\n 17\n-18\n+eighteen\n 19\n 20\n");
}

TEST(UnifiedDiff, RemovedAndAddedLinesAndNoNewlineAtTheEnd) {
  EXPECT_EQ(unified_diff("f.py", "a\nb\nc", "a\nc\nd\n"),
            "--- f.py\n+++ f.py\n@@ -1,3 +1,3 @@\n a\n-b\n-c\n\\ No newline at end of file\n+c\n+d\n");
  EXPECT_EQ(unified_diff("f.py", "", "x\n"), "--- f.py\n+++ f.py\n@@ -0,0 +1 @@\n+x\n");
}

TEST(AddSuppressions, ACommentAtTheEndOfTheLineCodesSortedAndMerged) {
  const SuppressionEdits e = add_suppressions("a = 1\nb += 1  # note\nc += 1  # raceaudit: ignore[RA007]\n",
                                              {{"RA003", {1}}, {"RA001", {1}}, {"RA001", {2}}, {"RA001", {3}}});
  EXPECT_EQ(e.text,
            "a = 1  # raceaudit: ignore[RA001,RA003]\n"
            "b += 1  # note  # raceaudit: ignore[RA001]\n"
            "c += 1  # raceaudit: ignore[RA001,RA007]\n");
  EXPECT_EQ(e.added, 2u);
  EXPECT_EQ(e.merged, 1u);
  EXPECT_TRUE(e.unplaced.empty());
}

TEST(AddSuppressions, NotInsideAStringNorAfterABackslashTheNextLineInstead) {
  const std::string text =
      "x = f('''\n"        // 1: ends inside a string
      "''') + \\\n"        // 2: continues
      "    g()\r\n"        // 3
      "y = '''\n"          // 4: ends inside a string, no other line
      "'''\n";
  const SuppressionEdits e = add_suppressions(text, {{"RA001", {1, 2, 3}}, {"RA005", {4}}});
  EXPECT_EQ(e.text, "x = f('''\n''') + \\\n    g()  # raceaudit: ignore[RA001]\r\ny = '''\n'''\n");
  EXPECT_EQ(e.unplaced, (std::vector<size_t>{1}));
}

}  // namespace
}  // namespace raceaudit
