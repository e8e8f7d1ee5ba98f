// Glob and exclude matching (src/discover/glob.h, exclude.h): globstar, `*`
// not crossing a slash, directory prefixes, anchors, slash-less names.
#include <gtest/gtest.h>

#include "discover/exclude.h"
#include "discover/glob.h"

namespace raceaudit {
namespace {

TEST(Glob, DoubleStarMatchesZeroOrMoreDirectories) {
  EXPECT_TRUE(glob_match("src/**/*.py", "src/m.py"));
  EXPECT_TRUE(glob_match("src/**/*.py", "src/a/b/m.py"));
  EXPECT_FALSE(glob_match("src/**/*.py", "lib/m.py"));
  EXPECT_TRUE(glob_match("**/gen", "gen"));
  EXPECT_TRUE(glob_match("**/gen", "a/b/gen"));
  EXPECT_TRUE(glob_match("a/**", "a/b/c"));
  EXPECT_TRUE(glob_match("a/**/b/**/c", "a/x/b/y/z/c"));
  EXPECT_FALSE(glob_match("a/**/b/**/c", "a/x/c"));
}

TEST(Glob, StarAndQuestionMarkStayInOneSegment) {
  EXPECT_TRUE(glob_match("src/*.py", "src/m.py"));
  EXPECT_FALSE(glob_match("src/*.py", "src/a/m.py"));
  EXPECT_FALSE(glob_match("src?m.py", "src/m.py"));
  EXPECT_TRUE(glob_match("src/[mn].py", "src/n.py"));
}

TEST(Glob, DirectoryPrefixCoversWhatIsBelowIt) {
  EXPECT_TRUE(glob_match_or_below("src/gen", "src/gen/x/y.py"));
  EXPECT_FALSE(glob_match_or_below("src/gen", "src/generated/y.py"));
  EXPECT_FALSE(glob_match_or_below("gen", "src/gen/y.py")) << "anchored: no suffix matching";
}

TEST(Exclude, SlashPatternsAreRelativeToTheirAnchor) {
  const AnchoredGlob g{"src/gen", "/p"};
  EXPECT_TRUE(glob_excludes(g, "/p/src/gen/x.py", "/p"));
  EXPECT_FALSE(glob_excludes(g, "/q/src/gen/x.py", "/p"));
  EXPECT_FALSE(glob_excludes(g, "/p/sub/src/gen/x.py", "/p"));
}

TEST(Exclude, SlashlessPatternsMatchAnyNameBelowTheBase) {
  const AnchoredGlob g{"build", "/p"};
  EXPECT_TRUE(glob_excludes(g, "/p/a/build/x.py", "/p"));
  EXPECT_FALSE(glob_excludes(g, "/build/p/x.py", "/build/p")) << "names above the base do not count";
  EXPECT_FALSE(glob_excludes(g, "/p/build", "/p/build")) << "nor the base itself";
  EXPECT_TRUE(glob_excludes({"*_pb2.py", "/p"}, "/p/a/m_pb2.py", "/p"));
}

TEST(Exclude, ProjectRelativeNames) {
  EXPECT_EQ(project_relative("/p/a/m.py", "/p"), "a/m.py");
  EXPECT_EQ(project_relative("/q/m.py", "/p"), "/q/m.py");
  EXPECT_EQ(relative_to("/p", "/p"), ".");
  EXPECT_EQ(relative_to("/pq/m.py", "/p"), "");
}

}  // namespace
}  // namespace raceaudit
