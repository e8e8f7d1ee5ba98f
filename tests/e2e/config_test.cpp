// Configuration, end to end: [tool.raceaudit] in pyproject.toml found by
// walking up from the scanned path, raceaudit.toml, --config, --isolated,
// every key, command-line precedence, and each kind of bad configuration
// (one line on stderr naming the file and the key, exit 2).
#include <gtest/gtest.h>
#include <unistd.h>

#include "e2e/run_binary.h"

namespace raceaudit::testing {
namespace {

// RA001 at line 9 (high: the class has a lock), RA007 at line 15 (medium: it
// stores a caller's value, so it is not a fixed-value switch).
const std::string kModule =
    "import threading\n"
    "\n"
    "class Counter:\n"
    "    def __init__(self):\n"
    "        self._lock = threading.Lock()\n"
    "        self.hits = 0\n"
    "\n"
    "    def hit(self):\n"
    "        self.hits += 1\n"
    "\n"
    "LEVEL = 0\n"
    "\n"
    "def set_level(n):\n"
    "    global LEVEL\n"
    "    LEVEL = n\n";

RunResult scan(const TempDir& d, const std::vector<std::string>& extra) {
  std::vector<std::string> args{"scan"};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_raceaudit(args, d.path);
}

bool has(const RunResult& r, const std::string& s) { return r.out.find(s) != std::string::npos; }

TEST(Config, PyprojectIsFoundByWalkingUpFromTheScannedDirectory) {
  TempDir d;
  d.write("pyproject.toml", "[project]\nname = \"demo\"\n\n[tool.raceaudit]\nselect = [\"RA007\"]\n");
  d.write("src/pkg/m.py", kModule);
  const auto r = scan(d, {"src/pkg"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(has(r, "RA007")) << r.out;
  EXPECT_FALSE(has(r, "RA001")) << r.out;
  const auto from_file = scan(d, {"src/pkg/m.py"});
  EXPECT_FALSE(has(from_file, "RA001")) << "walks up from a file's directory too: " << from_file.out;
}

TEST(Config, PyprojectWithoutTheSectionIsPassedOver) {
  TempDir d;
  d.write("pyproject.toml", "[tool.raceaudit]\nselect = [\"RA007\"]\n");
  d.write("sub/pyproject.toml", "[project]\nname = \"sub\"\n[tool.ruff]\nline-length = 100\n");
  d.write("sub/m.py", kModule);
  const auto r = scan(d, {"sub"});
  EXPECT_FALSE(has(r, "RA001")) << r.out;
  EXPECT_TRUE(has(r, "RA007")) << r.out;
}

TEST(Config, NearestConfigurationWins) {
  TempDir d;
  d.write("pyproject.toml", "[tool.raceaudit]\nselect = [\"RA007\"]\n");
  d.write("sub/pyproject.toml", "[tool.raceaudit]\nselect = [\"RA001\"]\n");
  d.write("sub/m.py", kModule);
  const auto r = scan(d, {"sub"});
  EXPECT_TRUE(has(r, "RA001")) << r.out;
  EXPECT_FALSE(has(r, "RA007")) << r.out;
}

TEST(Config, RaceauditTomlHasTheKeysAtTopLevelAndWinsInItsDirectory) {
  TempDir d;
  d.write("raceaudit.toml", "select = [\"RA001\"]\n");
  d.write("pyproject.toml", "[tool.raceaudit]\nselect = [\"RA007\"]\n");
  d.write("m.py", kModule);
  const auto r = scan(d, {"."});
  EXPECT_TRUE(has(r, "RA001")) << r.out;
  EXPECT_FALSE(has(r, "RA007")) << r.out;
}

TEST(Config, ExplicitConfigFile) {
  TempDir d;
  d.write("pyproject.toml", "[tool.raceaudit]\nselect = [\"RA007\"]\n");
  d.write("ci/strict.toml", "select = [\"RA001\"]\n");
  d.write("other/pyproject.toml", "[tool.raceaudit]\nignore = [\"RA007\"]\n");
  d.write("m.py", kModule);
  const auto toml = scan(d, {"--config", "ci/strict.toml", "."});
  EXPECT_TRUE(has(toml, "RA001")) << toml.out;
  EXPECT_FALSE(has(toml, "RA007")) << "the explicit file replaces the discovered one: " << toml.out;
  const auto pyproject = scan(d, {"--config", "other/pyproject.toml", "."});
  EXPECT_TRUE(has(pyproject, "RA001")) << pyproject.out;
  EXPECT_FALSE(has(pyproject, "RA007")) << pyproject.out;
}

TEST(Config, IsolatedIgnoresConfiguration) {
  TempDir d;
  d.write("pyproject.toml", "[tool.raceaudit]\nselect = [\"RA007\"]\n");
  d.write("m.py", kModule);
  const auto r = scan(d, {"--isolated", "."});
  EXPECT_TRUE(has(r, "RA001")) << r.out;
  EXPECT_TRUE(has(r, "RA007")) << r.out;
  const auto both = scan(d, {"--isolated", "--config", "pyproject.toml", "."});
  EXPECT_EQ(both.exit_code, 2) << "--isolated and --config exclude each other";
}

// Selection is resolved in layers, the file's then the command line's (ruff's way).
TEST(Config, CommandLineSelectionIsALayerOverTheFiles) {
  TempDir d;
  d.write("pyproject.toml", "[tool.raceaudit]\nselect = [\"RA007\"]\nignore = [\"RA001\"]\n");
  d.write("m.py", kModule);
  const auto select = scan(d, {"--select", "RA001", "."});
  EXPECT_TRUE(has(select, "RA001")) << "a command-line select starts over, past the file's ignore: " << select.out;
  EXPECT_FALSE(has(select, "RA007")) << select.out;

  d.write("pyproject.toml", "[tool.raceaudit]\nignore = [\"RA001\"]\n");
  const auto ignore = scan(d, {"--ignore", "RA007", "."});
  EXPECT_FALSE(has(ignore, "RA001")) << "a command-line ignore adds to the file's: " << ignore.out;
  EXPECT_FALSE(has(ignore, "RA007")) << ignore.out;
  EXPECT_EQ(ignore.exit_code, 0);
  const auto extend = scan(d, {"--extend-select", "RA001", "."});
  EXPECT_TRUE(has(extend, "RA001")) << "--extend-select brings back a rule the file ignores: " << extend.out;
  EXPECT_TRUE(has(extend, "RA007")) << extend.out;
}

TEST(Config, ExtendSelectAddsToTheSelection) {
  TempDir d;
  d.write("pyproject.toml", "[tool.raceaudit]\nselect = [\"RA002\"]\nextend-select = [\"RA001\"]\n");
  d.write("m.py", kModule);
  const auto r = scan(d, {"."});
  EXPECT_TRUE(has(r, "RA001")) << r.out;
  EXPECT_FALSE(has(r, "RA007")) << r.out;
  const auto cli = scan(d, {"--extend-select", "RA007", "."});
  EXPECT_TRUE(has(cli, "RA001")) << cli.out;
  EXPECT_TRUE(has(cli, "RA007")) << cli.out;
}

TEST(Config, ExcludeAndExtendExclude) {
  TempDir d;
  d.write("pyproject.toml", "[tool.raceaudit]\nexclude = [\"generated\"]\nextend-exclude = [\"vendored_*.py\"]\n");
  d.write("src/m.py", kModule);
  d.write("generated/g.py", kModule);
  d.write("src/vendored_lib.py", kModule);
  const auto r = scan(d, {"."});
  EXPECT_TRUE(has(r, "src/m.py")) << r.out;
  EXPECT_FALSE(has(r, "generated/")) << r.out;
  EXPECT_FALSE(has(r, "vendored_lib")) << r.out;
  const auto cli = scan(d, {"--exclude", "src", "."});
  EXPECT_TRUE(has(cli, "generated/g.py")) << "--exclude replaces the file's exclude: " << cli.out;
  EXPECT_FALSE(has(cli, "vendored_lib")) << "extend-exclude still applies: " << cli.out;
}

TEST(Config, PerFileIgnores) {
  TempDir d;
  d.write("pyproject.toml", "[tool.raceaudit.per-file-ignores]\n\"generated/*\" = [\"RA001\"]\n\"legacy.py\" = [\"RA\"]\n");
  d.write("src/m.py", kModule);
  d.write("generated/t.py", kModule);
  d.write("legacy.py", kModule);
  const auto r = scan(d, {"."});
  EXPECT_TRUE(has(r, "src/m.py:9:9: RA001")) << r.out;
  EXPECT_FALSE(has(r, "generated/t.py:9:9: RA001")) << r.out;
  EXPECT_TRUE(has(r, "generated/t.py:15:5: RA007")) << r.out;
  EXPECT_FALSE(has(r, "legacy.py")) << r.out;
}

TEST(Config, MinConfidenceFromTheFileAndTheCommandLine) {
  TempDir d;
  d.write("pyproject.toml", "[tool.raceaudit]\nmin-confidence = \"high\"\n");
  d.write("m.py", kModule);
  const auto high = scan(d, {"."});
  EXPECT_TRUE(has(high, "RA001")) << high.out;
  EXPECT_FALSE(has(high, "RA007")) << "RA007 is medium: " << high.out;
  const auto cli = scan(d, {"--min-confidence", "medium", "."});
  EXPECT_TRUE(has(cli, "RA007")) << cli.out;
}

TEST(Config, LockFactoriesMakeCustomLocksCount) {
  TempDir d;
  d.write("m.py",
          "import spinlocks\n\n"
          "class Counter:\n"
          "    def __init__(self):\n"
          "        self._guard = spinlocks.SpinLock()\n"
          "        self.hits = 0\n\n"
          "    def hit(self):\n"
          "        with self._guard:\n"
          "            self.hits += 1\n\n"
          "    def miss(self):\n"
          "        with self._guard:\n"
          "            self.hits -= 1\n");
  const auto without = scan(d, {"--isolated", "--min-confidence", "low", "."});
  EXPECT_TRUE(has(without, "RA001")) << "`self._guard` is no lock by name: " << without.out;
  d.write("pyproject.toml", "[tool.raceaudit]\nlock-factories = [\"spinlocks.SpinLock\"]\nmin-confidence = \"low\"\n");
  const auto with = scan(d, {"."});
  EXPECT_EQ(with.exit_code, 0) << with.out << with.err;
}

TEST(Config, InitMethodsAreInitContexts) {
  TempDir d;
  d.write("m.py",
          "import threading\n\n"
          "class Fixture:\n"
          "    def __init__(self):\n"
          "        self._lock = threading.Lock()\n"
          "        self.count = 0\n\n"
          "    def populate(self):\n"
          "        self.count += 1\n");
  EXPECT_TRUE(has(scan(d, {"--isolated", "."}), "RA001"));
  d.write("pyproject.toml", "[tool.raceaudit]\ninit-methods = [\"populate\"]\n");
  const auto r = scan(d, {"."});
  EXPECT_FALSE(has(r, "RA001")) << r.out;
}

TEST(Config, SharedAndThreadConfinedClasses) {
  TempDir d;
  d.write("m.py",
          "class Plain:\n"
          "    def __init__(self):\n"
          "        self.n = 0\n\n"
          "    def bump(self):\n"
          "        self.n += 1\n");
  EXPECT_FALSE(has(scan(d, {"--isolated", "."}), "RA001")) << "plain instance state is low confidence";
  d.write("pyproject.toml", "[tool.raceaudit]\nshared-classes = [\"Plain\"]\n");
  const auto shared = scan(d, {"."});
  EXPECT_TRUE(has(shared, "RA001")) << shared.out;
  EXPECT_TRUE(has(shared, "[high]")) << shared.out;

  TempDir e;
  e.write("m.py", kModule);
  e.write("pyproject.toml", "[tool.raceaudit]\nthread-confined-classes = [\"Counter\"]\n");
  const auto confined = scan(e, {"."});
  EXPECT_FALSE(has(confined, "RA001")) << confined.out;
  EXPECT_TRUE(has(confined, "RA007")) << confined.out;
}

// Every configuration error: exit 2, nothing on stdout, exactly one line on stderr.
void expect_config_error(const RunResult& r, const std::string& expected_line) {
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_EQ(r.err, "raceaudit: error: " + expected_line + "\n");
}

RunResult scan_with_pyproject(const std::string& section) {
  TempDir d;
  d.write("pyproject.toml", "[project]\nname = \"demo\"\n\n[tool.raceaudit]\n" + section);
  d.write("m.py", kModule);
  return scan(d, {"."});
}

TEST(ConfigError, UnknownKey) {
  expect_config_error(scan_with_pyproject("selct = [\"RA001\"]\n"),
                      "pyproject.toml: [tool.raceaudit] unknown key \"selct\" (did you mean \"select\"?)");
  expect_config_error(scan_with_pyproject("colour = \"always\"\n"),
                      "pyproject.toml: [tool.raceaudit] unknown key \"colour\"; expected one of select, ignore, "
                      "extend-select, exclude, extend-exclude, per-file-ignores, min-confidence, lock-factories, "
                      "init-methods, shared-classes, thread-confined-classes, output-format, respect-gitignore, force-exclude");
}

TEST(ConfigError, WrongType) {
  expect_config_error(scan_with_pyproject("select = \"RA001\"\n"),
                      "pyproject.toml: [tool.raceaudit] select: expected a list of rule codes, got the string "
                      "\"RA001\" (write select = [\"RA001\"])");
  expect_config_error(scan_with_pyproject("ignore = [\"RA001\", 3]\n"),
                      "pyproject.toml: [tool.raceaudit] ignore: expected a list of rule codes, got the integer 3 "
                      "at position 2");
  expect_config_error(scan_with_pyproject("exclude = true\n"),
                      "pyproject.toml: [tool.raceaudit] exclude: expected a list of strings, got true");
  expect_config_error(scan_with_pyproject("min-confidence = 3\n"),
                      "pyproject.toml: [tool.raceaudit] min-confidence: expected one of low, medium, high, got the "
                      "integer 3");
  expect_config_error(scan_with_pyproject("per-file-ignores = [\"tests/*\"]\n"),
                      "pyproject.toml: [tool.raceaudit] per-file-ignores: expected a table of \"glob\" = [rule "
                      "codes], got a list");
  expect_config_error(scan_with_pyproject("[tool.raceaudit.per-file-ignores]\n\"tests/*\" = \"RA001\"\n"),
                      "pyproject.toml: [tool.raceaudit] per-file-ignores.\"tests/*\": expected a list of rule "
                      "codes, got the string \"RA001\" (write per-file-ignores.\"tests/*\" = [\"RA001\"])");
  TempDir d;
  d.write("pyproject.toml", "[tool]\nraceaudit = 1\n");
  d.write("m.py", kModule);
  expect_config_error(scan(d, {"."}), "pyproject.toml: [tool.raceaudit]: expected a table, got the integer 1");
}

TEST(ConfigError, BadValue) {
  expect_config_error(scan_with_pyproject("min-confidence = \"hgh\"\n"),
                      "pyproject.toml: [tool.raceaudit] min-confidence: expected one of low, medium, high, got "
                      "\"hgh\"");
  expect_config_error(scan_with_pyproject("select = [\"RA999\"]\n"),
                      "pyproject.toml: [tool.raceaudit] select: unknown rule code \"RA999\"; `raceaudit rule` lists "
                      "the rules");
  expect_config_error(scan_with_pyproject("lock-factories = [\"my lib.Lock\"]\n"),
                      "pyproject.toml: [tool.raceaudit] lock-factories: expected a dotted name like "
                      "\"mylib.SpinLock\", got \"my lib.Lock\"");
}

TEST(ConfigError, UserTextStaysOnOneLine) {
  expect_config_error(scan_with_pyproject("min-confidence = \"hi\\nthere \\\"x\\\"\"\n"),
                      "pyproject.toml: [tool.raceaudit] min-confidence: expected one of low, medium, high, got "
                      "\"hi\\x0athere \\\"x\\\"\"");
}

TEST(ConfigError, RaceauditTomlErrorsNameTheKeyWithoutTheTable) {
  TempDir d;
  d.write("raceaudit.toml", "min-confidence = \"hgh\"\n");
  d.write("m.py", kModule);
  expect_config_error(scan(d, {"."}), "raceaudit.toml: min-confidence: expected one of low, medium, high, got \"hgh\"");
}

TEST(ConfigError, TomlSyntaxErrorNamesTheLine) {
  const auto r = scan_with_pyproject("select = [\"RA001\"\nignore = []\n");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_EQ(r.err.rfind("raceaudit: error: pyproject.toml:6:", 0), 0u) << r.err;
  EXPECT_NE(r.err.find("TOML syntax error: "), std::string::npos) << r.err;
  TempDir d;
  d.write("pyproject.toml", "[tool.raceaudit]\nselect = [\"RA001\"]\nselect = [\"RA002\"]\n");
  d.write("m.py", kModule);
  const auto dup = scan(d, {"."});
  EXPECT_EQ(dup.exit_code, 2);
  EXPECT_EQ(dup.err.rfind("raceaudit: error: pyproject.toml:3:", 0), 0u) << dup.err;
}

TEST(ConfigError, ErrorsInTheExplicitFileNameIt) {
  TempDir d;
  d.write("ci/raceaudit.toml", "selct = []\n");
  d.write("m.py", kModule);
  expect_config_error(scan(d, {"--config", "ci/raceaudit.toml", "."}),
                      "ci/raceaudit.toml: unknown key \"selct\" (did you mean \"select\"?)");
}

TEST(ConfigError, UnreadableConfigFile) {
  TempDir d;
  d.write("m.py", kModule);
  expect_config_error(scan(d, {"--config", "missing.toml", "."}),
                      "cannot read config file missing.toml: No such file or directory");
  d.write("adir/keep", "");
  expect_config_error(scan(d, {"--config", "adir", "."}), "cannot read config file adir: is a directory");
  TempDir e;
  e.write("pyproject.toml/keep", "");
  e.write("m.py", kModule);
  expect_config_error(scan(e, {"."}), "cannot read config file pyproject.toml: is a directory");
  if (geteuid() != 0) {  // root reads anything
    TempDir f;
    const std::string p = f.write("pyproject.toml", "[tool.raceaudit]\n");
    f.write("m.py", kModule);
    chmod(p.c_str(), 0);
    expect_config_error(scan(f, {"."}), "cannot read config file pyproject.toml: Permission denied");
  }
}

}  // namespace
}  // namespace raceaudit::testing
