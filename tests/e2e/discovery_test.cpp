// File discovery, end to end: exclude patterns with a slash under the default
// root `.`, globstar, patterns anchored to the configuration file's directory,
// build/ and dist/ excluded by default, .gitignore (inside a git work tree
// only), --force-exclude for paths named on the command line.
#include <gtest/gtest.h>

#include "e2e/run_binary.h"
#include "report/support.h"

namespace raceaudit::testing {
namespace {

const char* const kCounter = kCounterModule;

bool has(const RunResult& r, const std::string& s) { return r.out.find(s) != std::string::npos; }

// The project every test starts from: files at several depths.
struct Tree {
  TempDir d;
  Tree() {
    d.write("src/m.py", kCounter);
    d.write("src/gen/g.py", kCounter);
    d.write("src/gen_top.py", kCounter);
    d.write("src/a/b/gen_deep.py", kCounter);
    d.write("src/a/keep.py", kCounter);
  }
};

TEST(Discovery, ExcludeWithASlashWorksUnderTheDefaultRootDot) {
  Tree t;
  for (const std::vector<std::string>& paths : {std::vector<std::string>{}, std::vector<std::string>{"."}}) {
    std::vector<std::string> args{"--isolated", "--exclude", "src/gen"};
    args.insert(args.end(), paths.begin(), paths.end());
    const auto r = scan_in(t.d.path, args);
    EXPECT_FALSE(has(r, "src/gen/g.py")) << r.out;
    EXPECT_TRUE(has(r, "src/m.py")) << r.out;
  }
  t.d.write("raceaudit.toml", "exclude = [\"src/gen\"]\n");
  const auto from_file = scan_in(t.d.path, {});
  EXPECT_FALSE(has(from_file, "src/gen/g.py")) << from_file.out;
  EXPECT_TRUE(has(from_file, "src/m.py")) << from_file.out;
}

TEST(Discovery, DoubleStarMatchesAnyNumberOfDirectoriesAndStarNoSlash) {
  Tree t;
  const auto r = scan_in(t.d.path, {"--isolated", "--exclude", "src/**/gen_*.py", "."});
  EXPECT_FALSE(has(r, "src/gen_top.py")) << "** matches no directory too: " << r.out;
  EXPECT_FALSE(has(r, "src/a/b/gen_deep.py")) << r.out;
  EXPECT_TRUE(has(r, "src/a/keep.py")) << r.out;
  EXPECT_TRUE(has(r, "src/gen/g.py")) << r.out;
  const auto star = scan_in(t.d.path, {"--isolated", "--exclude", "src/*.py", "."});
  EXPECT_FALSE(has(star, "src/m.py")) << star.out;
  EXPECT_TRUE(has(star, "src/a/keep.py")) << "* does not cross a slash: " << star.out;
  const auto anywhere = scan_in(t.d.path, {"--isolated", "--exclude", "**/b", "."});
  EXPECT_FALSE(has(anywhere, "gen_deep.py")) << anywhere.out;
  EXPECT_TRUE(has(anywhere, "src/a/keep.py")) << anywhere.out;
}

TEST(Discovery, ConfigurationPatternsAreRelativeToItsDirectory) {
  Tree t;
  t.d.write("pyproject.toml",
            "[tool.raceaudit]\nexclude = [\"src/gen\"]\n[tool.raceaudit.per-file-ignores]\n\"src/a/*.py\" = [\"RA001\"]\n");
  // From a subdirectory: the paths are gen/g.py and a/keep.py there.
  const auto r = scan_in(t.d.path + "/src", {"."});
  EXPECT_TRUE(has(r, "m.py:9:9: RA001")) << r.out << r.err;
  EXPECT_FALSE(has(r, "gen/g.py")) << r.out;
  EXPECT_FALSE(has(r, "a/keep.py")) << "per-file-ignores anchored too: " << r.out;
  EXPECT_TRUE(has(r, "a/b/gen_deep.py")) << "a/*.py does not reach a/b/: " << r.out;
  // A command-line pattern is relative to the working directory.
  const auto cli = scan_in(t.d.path + "/src", {"--extend-exclude", "a", "."});
  EXPECT_FALSE(has(cli, "gen_deep.py")) << cli.out;
}

TEST(Discovery, BuildAndDistAreExcludedByDefault) {
  Tree t;
  t.d.write("build/lib/pkg/m.py", kCounter);
  t.d.write("dist/m.py", kCounter);
  const auto r = scan_in(t.d.path, {"--isolated", "."});
  EXPECT_FALSE(has(r, "build/")) << r.out;
  EXPECT_FALSE(has(r, "dist/")) << r.out;
  EXPECT_TRUE(has(r, "src/m.py")) << r.out;
  t.d.write("raceaudit.toml", "exclude = []\n");
  const auto none = scan_in(t.d.path, {"."});
  EXPECT_TRUE(has(none, "build/lib/pkg/m.py")) << "exclude replaces the default: " << none.out;
  EXPECT_TRUE(has(none, "dist/m.py")) << none.out;
}

TEST(Discovery, GitignoreIsRespectedInsideAGitWorkTree) {
  Tree t;
  t.d.write(".gitignore", "src/gen/\n*_top.py\n");
  t.d.write("src/a/.gitignore", "b/\n");
  const auto outside = scan_in(t.d.path, {"--isolated", "."});
  EXPECT_TRUE(has(outside, "src/gen/g.py")) << "no git repository, no ignore rules: " << outside.out;
  const auto g = git_init(t.d.path);
  ASSERT_EQ(g.exit_code, 0) << g.output;
  for (const std::string& cwd : {t.d.path, t.d.path + "/src"}) {
    const auto r = scan_in(cwd, {"--isolated", "."});
    EXPECT_FALSE(has(r, "gen/g.py")) << cwd << ": " << r.out;
    EXPECT_FALSE(has(r, "gen_top.py")) << r.out;
    EXPECT_FALSE(has(r, "gen_deep.py")) << "a nested .gitignore counts: " << r.out;
    EXPECT_TRUE(has(r, "m.py:9:9")) << r.out;
  }
  const auto off = scan_in(t.d.path, {"--isolated", "--no-respect-gitignore", "."});
  EXPECT_TRUE(has(off, "src/gen/g.py")) << off.out;
  EXPECT_TRUE(has(off, "src/gen_top.py")) << off.out;
}

TEST(Discovery, ForceExcludeAppliesToPathsNamedOnTheCommandLine) {
  Tree t;
  t.d.write("build/x.py", kCounter);
  const auto plain = scan_in(t.d.path, {"--isolated", "--exclude", "gen", "src/gen/g.py"});
  EXPECT_TRUE(has(plain, "src/gen/g.py")) << "named files are scanned without --force-exclude: " << plain.out;
  const auto forced = scan_in(t.d.path, {"--isolated", "--force-exclude", "--exclude", "gen", "src/gen/g.py",
                                         "src/m.py"});
  EXPECT_FALSE(has(forced, "src/gen/g.py")) << "a directory above it matches: " << forced.out;
  EXPECT_TRUE(has(forced, "src/m.py")) << forced.out;
  const auto by_default = scan_in(t.d.path, {"--isolated", "--force-exclude", "build/x.py", "src/m.py"});
  EXPECT_FALSE(has(by_default, "build/x.py")) << "the default build exclude too: " << by_default.out;
  EXPECT_TRUE(has(by_default, "src/m.py")) << by_default.out;
  t.d.write("raceaudit.toml", "exclude = [\"src/gen/*.py\"]\n");
  const auto anchored = scan_in(t.d.path + "/src", {"--force-exclude", "gen/g.py", "m.py"});
  EXPECT_FALSE(has(anchored, "g.py")) << anchored.out;
  EXPECT_TRUE(has(anchored, "m.py:9:9")) << anchored.out;
}

}  // namespace
}  // namespace raceaudit::testing
