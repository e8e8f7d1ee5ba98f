// Decoding source bytes the way CPython would, without ever failing.
#include <gtest/gtest.h>

#include "util/source_text.h"

namespace raceaudit {
namespace {

TEST(SourceText, BomIsRemoved) { EXPECT_EQ(decode_source("\xEF\xBB\xBFx = 1\n").text, "x = 1\n"); }

TEST(SourceText, Latin1CookieIsTranscoded) {
  const auto s = decode_source("# -*- coding: latin-1 -*-\nname = '\xE9'\n");
  EXPECT_TRUE(s.warnings.empty());
  EXPECT_NE(s.text.find("'\xC3\xA9'"), std::string::npos);
}

TEST(SourceText, InvalidUtf8IsReplacedAndReported) {
  const auto s = decode_source("a = 1\nb = '\xFF\xFE'\n");
  ASSERT_EQ(s.warnings.size(), 1u);
  EXPECT_NE(s.warnings[0].find("line 2"), std::string::npos) << s.warnings[0];
  EXPECT_NE(s.text.find("\xEF\xBF\xBD"), std::string::npos);
}

TEST(SourceText, NulBytesAreReported) {
  const auto s = decode_source(std::string("a = 1\0\n", 7));
  ASSERT_EQ(s.warnings.size(), 1u);
  EXPECT_EQ(s.text.find('\0'), std::string::npos);
}

TEST(SourceText, LoneCarriageReturnsEndLines) { EXPECT_EQ(decode_source("a = 1\rb = 2\r\n").text, "a = 1\nb = 2\r\n"); }

TEST(SourceText, CharacterColumns) {
  EXPECT_EQ(byte_to_char_column("\xC3\xA9t\xC3\xA9 = x", 6), 4u);  // after "été"
  EXPECT_EQ(line_of("a\r\nbb\nccc", 2), "bb");
}

}  // namespace
}  // namespace raceaudit

namespace raceaudit {
namespace {

TEST(SourceText, LineIndexMatchesLineOf) {
  const std::string text = "a\r\nbb\n\nccc";
  const LineIndex idx(text);
  EXPECT_EQ(idx.count(), 4u);
  for (unsigned l = 1; l <= 4; ++l) EXPECT_EQ(idx.line(l), line_of(text, l)) << l;
  EXPECT_EQ(idx.line(5), "");
  EXPECT_EQ(idx.line(0), "");
}

}  // namespace
}  // namespace raceaudit

#include "parse/comment_lines.h"

namespace raceaudit {
namespace {

TEST(CommentLines, WholeLineCommentsAreBlankedKeepingLinesAndColumns) {
  const std::string text = "x = 1  # trailing\n    # whole line\r\n# 'quoted'\ny = 2\n";
  const std::string out = blank_comment_lines(text);
  EXPECT_EQ(out, "x = 1  # trailing\n                \r\n          \ny = 2\n");
  EXPECT_EQ(blank_comment_lines("x = 1\n"), "");
}

TEST(CommentLines, LinesInsideStringsAreKept) {
  const std::string text = "s = \"\"\"\n# not a comment \"\"\"\nt = '#x' # c\nu = \"a\\\"\"\n  # real\n";
  const std::string out = blank_comment_lines(text);
  EXPECT_EQ(out, "s = \"\"\"\n# not a comment \"\"\"\nt = '#x' # c\nu = \"a\\\"\"\n        \n");
}

}  // namespace
}  // namespace raceaudit

#include "parse/indentation.h"

namespace raceaudit {
namespace {

TEST(Indentation, CPythonsIndentationErrorsAreFound) {
  EXPECT_EQ(check_indentation("x = 1\n    y = 2\n")->span.line, 2u);
  EXPECT_NE(check_indentation("x = 1\n    y = 2\n")->message.find("unexpected indent"), std::string::npos);
  EXPECT_NE(check_indentation("def f():\n        x = 1\n    y = 2\n")->message.find("unindent"), std::string::npos);
  EXPECT_NE(check_indentation("def f():\nx = 1\n")->message.find("expected an indented block"), std::string::npos);
}

TEST(Indentation, ValidLayoutsPass) {
  EXPECT_FALSE(check_indentation("def f(a,\n        b):\n    return (a +\n  b)\n"));
  EXPECT_FALSE(check_indentation("s = '''\n      text\n'''\nif x:  # c\n\n    # comment\n  # odd comment\n    y = \\\n  2\nclass C: pass\n"));
  EXPECT_FALSE(check_indentation("if a:\r\n\tb = {1:\r\n  2}\r\n\tc = 3\r\n"));
}

}  // namespace
}  // namespace raceaudit

namespace raceaudit {
namespace {

TEST(Indentation, EscapedNewlineInsideAStringEnds) {
  EXPECT_FALSE(check_indentation("s = 'a\\\nb'\nt = 1\n"));
  EXPECT_FALSE(check_indentation("if x:\n    s = 'a \\\nb \\\nc'\n\n    y = 1\n"));
  EXPECT_FALSE(check_indentation("s = 'a\\"));
}

}  // namespace
}  // namespace raceaudit
