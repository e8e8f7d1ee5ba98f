// Hostile input for `raceaudit scan` (issue 7): a scan never dies. Each test
// puts something hostile next to an ordinary hazard file and asserts a clean
// outcome: no crash, no hang, no sanitizer report, diagnostics as one line
// each on stderr, the ordinary file's finding still reported, the right exit
// code. Big inputs are generated here at test time, never committed.
//
// Every run has a deadline (60 s, x3 under AddressSanitizer, times
// RACEAUDIT_TEST_TIME_SCALE when set): a hang fails the test instead of
// blocking the suite. The deadline bounds hangs; it is not a speed assertion.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <sstream>
#include <string>
#include <vector>

#include "e2e/hostile_support.h"
#include "e2e/run_binary.h"

namespace raceaudit::testing {
namespace {

// ---- syntax errors ------------------------------------------------------------

TEST(Hostile, SyntaxErrorsInSeveralForms) {
  TempDir d;
  const std::vector<std::pair<std::string, std::string>> broken = {
      {"unclosed_call.py", "def broken(:\n    pass\n"},
      {"unclosed_string.py", "x = \"abc\ny = 2\n"},
      {"unclosed_triple.py", "\"\"\"never closed\nx = 1\n"},
      {"mismatched.py", "x = [1, 2)\nclass C:\n    pass\n"},
      {"lone_else.py", "else:\n    pass\n"},
      {"garbage.py", "@@@ $$$ ??? ```\n"},
      {"bad_def.py", "class D:\n    def f(self:\n        return\n"},
      {"only_open.py", "((((((((((((((((((((\n"},
      {"keywords.py", "def class if for while import from lambda\n"},
  };
  for (const auto& [name, text] : broken) d.write(name, text);
  const Outcome o = scan_beside(d);
  for (const auto& [name, text] : broken)
    EXPECT_TRUE(diagnostic_about(o, name, "syntax error")) << name << " has no syntax error diagnostic:\n" << o.r.err;
}

// IndentationError for CPython: tree-sitter accepts both silently (F10 in
// fuzz-findings.md), so raceaudit must check indentation itself.
TEST(Hostile, IndentationErrorsGetADiagnostic) {
  TempDir d;
  d.write("unexpected_indent.py", "x = 1\n    y = 2\n");
  d.write("bad_dedent.py", "def f():\n        x = 1\n    y = 2\n");
  const Outcome o = scan_beside(d);
  EXPECT_TRUE(diagnostic_about(o, "unexpected_indent.py:2:", "")) << o.r.err;
  EXPECT_TRUE(diagnostic_about(o, "bad_dedent.py:3:", "")) << o.r.err;
}

TEST(Hostile, SyntaxErrorFileIsAnalysedPastALocalError) {
  TempDir d;
  d.write("half.py", std::string("def broken(:\n    pass\n\n") + kCounter);
  const Outcome o = scan_beside(d);
  EXPECT_TRUE(diagnostic_about(o, "half.py:1:", "syntax error")) << o.r.err;
  EXPECT_TRUE(has(o.r.out, "half.py:12:9: RA001")) << "the class after the error is still analysed:\n" << o.r.out;
}

// ---- encodings, bytes, line endings -----------------------------------------

TEST(Hostile, InvalidUtf8IsReplacedAndReported) {
  TempDir d;
  // A stray byte, a truncated sequence, an overlong encoding, a surrogate, a code point > U+10FFFF.
  d.write("bad_utf8.py", std::string("x = \"\xff\xfe\"\ny = \"\xc3\"\nz = \"\xc0\xaf \xed\xa0\x80 \xf4\x90\x80\x80\"\n") + kCounter);
  const Outcome o = scan_beside(d);
  EXPECT_TRUE(diagnostic_about(o, "bad_utf8.py", "invalid UTF-8")) << o.r.err;
  EXPECT_TRUE(has(o.r.out, "bad_utf8.py:12:9: RA001")) << "line numbers after bad bytes are right:\n" << o.r.out;
}

TEST(Hostile, Latin1CodingCookieIsDecoded) {
  TempDir d;
  std::string text = "# -*- coding: latin-1 -*-\nname = \"caf\xe9\"\n";
  std::string counter = kCounter;
  // A non-ASCII character before the hazard on its line: columns count characters.
  counter.replace(counter.find("        self.hits += 1"), 22, "        s = \"\xe9\"; self.hits += 1");
  text += counter;
  d.write("latin1.py", text);
  const Outcome o = scan_beside(d);
  EXPECT_FALSE(diagnostic_about(o, "latin1.py", "UTF-8")) << "a declared Latin-1 file is not invalid UTF-8:\n" << o.r.err;
  // `        s = "é"; ` is 17 characters: the hazard starts at column 18.
  EXPECT_TRUE(has(o.r.out, "latin1.py:11:18: RA001")) << o.r.out;
}

TEST(Hostile, UnsupportedCodingCookieIsReportedNotFatal) {
  TempDir d;
  d.write("shift_jis.py", std::string("# coding: shift_jis\nx = \"\x82\xa0\"\n") + kCounter);
  const Outcome o = scan_beside(d);
  EXPECT_TRUE(has(o.r.err, "shift_jis.py")) << "a diagnostic names the file:\n" << o.r.err;
  EXPECT_TRUE(has(o.r.out, "shift_jis.py:11:9: RA001")) << o.r.out;
}

TEST(Hostile, NulBytesAreReportedAndTheFileStillAnalysed) {
  TempDir d;
  const char nul_text[] = "x = 1\0\0\ny = b\"\0\"\n";
  d.write("nul.py", std::string(nul_text, sizeof nul_text - 1) + kCounter);
  d.write("all_nul.py", std::string(4096, '\0'));
  const Outcome o = scan_beside(d);
  EXPECT_TRUE(diagnostic_about(o, "nul.py", "NUL")) << o.r.err;
  EXPECT_TRUE(has(o.r.out, "nul.py:11:9: RA001")) << o.r.out;
}

TEST(Hostile, BinaryGarbageNamedPy) {
  TempDir d;
  std::string bytes(256 << 10, '\0');
  uint64_t x = 0x9E3779B97F4A7C15ull;
  for (char& c : bytes) {
    x ^= x << 13; x ^= x >> 7; x ^= x << 17;
    c = static_cast<char>(x);
  }
  d.write("garbage.py", bytes);
  const Outcome o = scan_beside(d);
  EXPECT_TRUE(has(o.r.err, "garbage.py")) << o.r.err.substr(0, 2000);
}

TEST(Hostile, Utf8BomIsSkipped) {
  TempDir d;
  d.write("bom.py", std::string("\xEF\xBB\xBF") + kCounter);
  // A BOM on a file whose first line holds the hazard: the column must not count it.
  d.write("bom_first_line.py", "\xEF\xBB\xBF" "def bump(): global N; N += 1\n");
  const Outcome o = scan_beside(d);
  EXPECT_TRUE(has(o.r.out, "bom.py:9:9: RA001")) << o.r.out;
  EXPECT_TRUE(has(o.r.out, "bom_first_line.py:1:23: RA007")) << o.r.out;
  EXPECT_FALSE(has(o.r.err, "bom")) << "a BOM is no problem worth a diagnostic:\n" << o.r.err;
}

TEST(Hostile, CrlfLineEndingsKeepLineNumbers) {
  TempDir d;
  d.write("crlf.py", counter_with_eol("\r\n"));
  const Outcome o = scan_beside(d);
  EXPECT_TRUE(has(o.r.out, "crlf.py:9:9: RA001")) << o.r.out;
  EXPECT_FALSE(has(o.r.err, "crlf.py")) << o.r.err;
}

TEST(Hostile, LoneCrLineEndingsKeepLineNumbers) {
  TempDir d;
  d.write("cr.py", counter_with_eol("\r"));
  const Outcome o = scan_beside(d);
  EXPECT_TRUE(has(o.r.out, "cr.py:9:9: RA001")) << o.r.out;
}

TEST(Hostile, MixedLineEndingsKeepLineNumbers) {
  TempDir d;
  std::string text;
  const std::vector<std::string> eols = {"\r\n", "\n", "\r", "\n", "\r\n", "\r", "\r\n", "\n", "\r", "\n"};
  size_t i = 0;
  for (const auto& l : lines_of(kCounter)) text += l + eols[i++ % eols.size()];
  d.write("mixed.py", text);
  const Outcome o = scan_beside(d);
  EXPECT_TRUE(has(o.r.out, "mixed.py:9:9: RA001")) << o.r.out;
}

TEST(Hostile, TabsMixedWithSpaces) {
  TempDir d;
  // Class body with four spaces, method bodies with four spaces and a tab:
  // consistent for CPython (8 columns under tab size 8, 5 under tab size 1).
  std::string tabs;
  for (const auto& l : lines_of(kCounter)) {
    if (l.rfind("        ", 0) == 0) tabs += "    \t" + l.substr(8) + "\n";
    else tabs += l + "\n";
  }
  d.write("tabs.py", tabs);
  // Inconsistent use (a TabError for CPython): must not crash either.
  d.write("taberror.py", "def f():\n\tif x:\n        \treturn 1\n\t        return 2\n");
  const Outcome o = scan_beside(d);
  EXPECT_TRUE(has(o.r.out, "tabs.py:9:6: RA001")) << "columns count a tab as one character:\n" << o.r.out;
}

// ---- deep nesting -------------------------------------------------------------

struct Deep {
  const char* name;
  std::function<std::string()> make;
};

constexpr size_t kDeep = 100'000;

std::string nest(const std::string& head, const std::string& open, const std::string& core, const std::string& close,
                 const std::string& tail, size_t n = kDeep) {
  std::string s = head;
  s.reserve(head.size() + (open.size() + close.size()) * n + core.size() + tail.size());
  for (size_t i = 0; i < n; ++i) s += open;
  s += core;
  for (size_t i = 0; i < n; ++i) s += close;
  return s + tail;
}

std::string nested_if_blocks(size_t n) {
  std::string s;
  s.reserve(n * n / 2 + n * 8);
  for (size_t i = 0; i < n; ++i) s += std::string(i, ' ') + "if x:\n";
  return s + std::string(n, ' ') + "pass\n";
}

class DeepNesting : public ::testing::TestWithParam<Deep> {};

// Every walk over trees or facts must be iterative or depth-bounded: 100,000
// levels must end in a diagnostic, never a stack overflow.
TEST_P(DeepNesting, DoesNotOverflowTheStack) {
  TempDir d;
  d.write("deep.py", GetParam().make());
  scan_beside(d);
}

std::string deep_case_name(const ::testing::TestParamInfo<Deep>& info) { return info.param.name; }

INSTANTIATE_TEST_SUITE_P(
    Hostile, DeepNesting,
    ::testing::Values(
        Deep{"Parentheses", [] { return nest("x = ", "(", "1", ")", "\n"); }},
        Deep{"Lists", [] { return nest("x = ", "[", "", "]", "\n"); }},
        Deep{"Dicts", [] { return nest("x = ", "{1: ", "1", "}", "\n"); }},
        Deep{"Calls", [] { return nest("x = ", "f(", "", ")", "\n"); }},
        Deep{"MethodCalls", [] { return nest("x = ", "a.f(", "", ")", "\n"); }},
        Deep{"Subscripts", [] { return "x = a" + repeat("[0]", kDeep) + "\n"; }},
        Deep{"IfExpressions", [] { return nest("x = ", "1 if y else (", "1", ")", "\n"); }},
        // 100,000 nested `if` blocks need 5 GB of indentation; 3,000 levels (4.5 MB)
        // are already far past CPython's limit (100) and raceaudit's (1,000).
        Deep{"IfBlocks", [] { return nested_if_blocks(3000); }},
        Deep{"IfBlocksInAMethod", [] {
               std::string s = "class C:\n def f(self):\n";
               for (size_t i = 0; i < 2000; ++i) s += std::string(i + 2, ' ') + "if self.a:\n";
               return s + std::string(2002, ' ') + "self.n += 1\n";
             }},
        Deep{"NotOperators", [] { return "if " + repeat("not ", kDeep) + "x:\n    pass\n"; }},
        Deep{"UnaryMinus", [] { return "x = " + repeat("-", kDeep) + "1\n"; }},
        Deep{"Lambdas", [] { return "x = " + repeat("lambda: ", kDeep) + "1\n"; }},
        Deep{"Awaits", [] { return "async def f():\n    " + repeat("await ", kDeep) + "x\n"; }},
        Deep{"Walrus", [] { return nest("x = ", "(a := ", "1", ")", "\n"); }},
        Deep{"BinaryOperators", [] { return "x = " + repeat("a + ", kDeep) + "a\n"; }},
        Deep{"BooleanCondition", [] { return "if " + repeat("self.a and ", kDeep) + "self.a:\n    pass\n"; }},
        Deep{"AttributeChain", [] { return "def f(self):\n    self." + repeat("a.", kDeep) + "a = 1\n"; }},
        Deep{"TypeCalls", [] { return nest("def f(self):\n    ", "type(", "self", ")", ".x = 1\n"); }},
        Deep{"ListTargetInAFunction", [] { return nest("def f(self):\n    ", "[", "a", "]", " = 1\n"); }},
        Deep{"ListTargetAtModuleLevel", [] { return nest("", "[", "a", "]", " = 1\n"); }},
        Deep{"TupleTarget", [] { return nest("def f(self):\n    ", "(", "a", ",)", " = 1\n"); }},
        Deep{"ForTarget", [] { return nest("def f(self):\n    for ", "[", "b", "]", " in self.y:\n        pass\n"); }},
        Deep{"WithTarget", [] { return nest("def f(self):\n    with x as ", "[", "a", "]", ":\n        pass\n"); }},
        Deep{"ZipIterable", [] { return nest("for x in ", "zip(", "y", ")", ":\n    pass\n"); }},
        Deep{"NestedFunctionsAndClasses", [] {
               std::string s;
               for (size_t i = 0; i < 2000; ++i) s += std::string(i, ' ') + (i % 2 ? "class C:\n" : "def f(self):\n");
               return s + std::string(2000, ' ') + "self.a += 1\n";
             }},
        Deep{"Decorators", [] { return repeat("@d\n", kDeep) + "def f(): pass\n"; }}),
    deep_case_name);

TEST(Hostile, CyclicBaseClassesDoNotRecurseForever) {
  TempDir d;
  d.write("cycle.py", "class A(B):\n    def f(self):\n        self.x.y = 1\n\nclass B(A):\n    pass\n");
  d.write("cycle3.py",
          "class P(R):\n    def f(self):\n        self.a.b.c = 1\n\nclass Q(P):\n    pass\n\nclass R(Q):\n    pass\n");
  scan_beside(d, {"--min-confidence", "low"});
}

// ---- size -------------------------------------------------------------------

// One block of about 1 KB with one RA001 hazard in it, padded with a
// docstring (comments would make tree-sitter much slower, see
// Hostile.ManyConsecutiveCommentLines; code padding doubles memory).
std::string big_block(size_t i) {
  const std::string n = std::to_string(i);
  std::string s = "class Store" + n + ":\n    \"\"\"Generated block " + n + ": a store with a lock and a counter.\n\n";
  while (s.size() < 700) s += "    Padding text padding text padding text padding text padding text.\n";
  return s + "    \"\"\"\n\n"
             "    def __init__(self):\n"
             "        self._lock = threading.Lock()\n"
             "        self.items = {}\n"
             "        self.count = 0\n\n"
             "    def add(self, key, value):\n"
             "        with self._lock:\n"
             "            self.items[key] = value\n"
             "        self.count += 1\n\n"
             "    def get(self, key):\n"
             "        with self._lock:\n"
             "            return self.items.get(key)\n\n";
}

TEST(Hostile, FiftyMegabyteGeneratedFile) {
  TempDir d;
  size_t blocks = 0;
  {
    std::ofstream out(fs::path(d.path) / "big.py", std::ios::binary);
    out << "import threading\n\n";
    size_t size = 0;
    while (size < 50u << 20) {
      const std::string b = big_block(blocks++);
      out << b;
      size += b.size();
    }
  }
  const Outcome o = scan_beside(d, {}, 120);
  // Every block has one finding, and the last one is still in the output.
  EXPECT_TRUE(has(o.r.out, "Found " + std::to_string(blocks + 1) + " hazard")) << o.r.out.substr(o.r.out.size() > 500 ? o.r.out.size() - 500 : 0);
  EXPECT_TRUE(has(o.r.out, "Store" + std::to_string(blocks - 1) + ".add")) << "the last block is analysed";
}

TEST(Hostile, OneLineOfTenMegabytesOfString) {
  TempDir d;
  d.write("long_string.py", "x = \"" + std::string(10u << 20, 'a') + "\"\n");
  const Outcome o = scan_beside(d);
  EXPECT_FALSE(has(o.r.err, "long_string.py")) << o.r.err;
}

TEST(Hostile, OneLineOfTenMegabytesOfData) {
  TempDir d;
  // A minified data table: one 10 MB line of a dict literal (about 200,000 entries).
  std::string line = "TABLE = {";
  for (size_t i = 0; line.size() < (10u << 20); ++i)
    line += "\"key" + std::to_string(i) + "\": [\"value value value\", " + std::to_string(i) + ", None], ";
  d.write("long_dict.py", line + "}\n");
  scan_beside(d);
}

// A block of commented-out code: tree-sitter-python 0.25's external scanner
// looks ahead over all following comment lines at every line end (quadratic:
// 10,000 lines took 10 s, 20,000 took 21 s; F11 in fuzz-findings.md).
TEST(Hostile, ManyConsecutiveCommentLines) {
  TempDir d;
  d.write("commented_out.py", "class C:\n    def f(self):\n        x = 1\n" +
                                  repeat("        # self.n += 1  (commented out)\n", 40'000) + "        return x\n");
  scan_beside(d);
}

TEST(Hostile, EmptyFile) {
  TempDir d;
  d.write("empty.py", "");
  d.write("pkg/__init__.py", "");
  const Outcome o = scan_beside(d);
  EXPECT_FALSE(has(o.r.err, "empty.py")) << o.r.err;
  const Outcome alone = run_with_deadline({"scan", "empty.py"}, d.path);
  EXPECT_TRUE(clean(alone));
  EXPECT_EQ(alone.r.exit_code, 0) << alone.r.out << alone.r.err;
  EXPECT_TRUE(has(alone.r.out, "No hazards found in 1 file")) << alone.r.out;
}

TEST(Hostile, TwentyThousandSmallFiles) {
  TempDir d;
  for (size_t i = 0; i < 20'000; ++i) {
    const std::string dir = "pkg" + std::to_string(i / 1000) + "/";
    if (i % 1000 == 0) d.write(dir + "mod" + std::to_string(i) + ".py", kCounter);
    else d.write(dir + "mod" + std::to_string(i) + ".py", "def f" + std::to_string(i) + "(x):\n    return x + 1\n");
  }
  const Outcome o = scan_beside(d);
  EXPECT_TRUE(has(o.r.out, "Found 21 hazards")) << o.r.out.substr(0, 3000);
  EXPECT_TRUE(has(o.r.out, "in 20001 files")) << o.r.out.substr(0, 3000);
  EXPECT_TRUE(has(o.r.out, "pkg19/mod19000.py:9:9: RA001")) << o.r.out.substr(0, 3000);
}

// ---- odd file-system objects ------------------------------------------------

TEST(Hostile, DirectoryNamedLikeAPythonFile) {
  TempDir d;
  fs::create_directories(fs::path(d.path) / "x.py");
  d.write("y.py/inner.py", kCounter);
  const Outcome o = scan_beside(d);
  EXPECT_TRUE(has(o.r.out, "y.py/inner.py:9:9: RA001")) << "a directory named *.py is walked:\n" << o.r.out;
  EXPECT_FALSE(has(o.r.err, "x.py")) << o.r.err;
  // Named explicitly, it is a directory to walk, not a file to read.
  const Outcome named = run_with_deadline({"scan", "x.py", "counter.py"}, d.path);
  EXPECT_TRUE(clean(named));
  EXPECT_EQ(named.r.exit_code, 1) << named.r.err;
  EXPECT_TRUE(has(named.r.out, kCounterFinding)) << named.r.out;
}

TEST(Hostile, FifoDoesNotBlock) {
  TempDir d;
  ASSERT_EQ(mkfifo((d.path + "/fifo.py").c_str(), 0644), 0) << std::strerror(errno);
  scan_beside(d, {}, 30);
  // Named explicitly: read without blocking (no writer will ever come).
  d.write("counter.py", kCounter);
  const Outcome named = run_with_deadline({"scan", "fifo.py", "counter.py"}, d.path, 30);
  EXPECT_TRUE(clean(named));
  EXPECT_EQ(named.r.exit_code, 1) << named.r.err;
  EXPECT_TRUE(diagnostic_about(named, "fifo.py", "")) << named.r.err;
  EXPECT_TRUE(has(named.r.out, kCounterFinding)) << named.r.out;
}

TEST(Hostile, SocketDoesNotBlock) {
  TempDir d;
  const int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  const std::string p = d.path + "/sock.py";
  ASSERT_LT(p.size(), sizeof addr.sun_path);
  std::strcpy(addr.sun_path, p.c_str());
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0) << std::strerror(errno);
  ASSERT_EQ(listen(fd, 1), 0);
  scan_beside(d, {}, 30);
  const Outcome named = run_with_deadline({"scan", "sock.py", "counter.py"}, d.path, 30);
  close(fd);
  EXPECT_TRUE(clean(named));
  EXPECT_EQ(named.r.exit_code, 1) << named.r.err;
  EXPECT_TRUE(diagnostic_about(named, "sock.py", "")) << named.r.err;
}

TEST(Hostile, SymlinkLoops) {
  TempDir d;
  const fs::path root = d.path;
  fs::create_directories(root / "loop/inner");
  fs::create_directory_symlink("..", root / "loop/inner/up");        // directory loop
  fs::create_directory_symlink(root, root / "loop/root");            // absolute loop to the top
  fs::create_symlink("self.py", root / "self.py");                   // file link to itself
  fs::create_symlink("b.py", root / "a.py");                         // two-link cycle
  fs::create_symlink("a.py", root / "b.py");
  fs::create_symlink("nowhere.py", root / "dangling.py");            // dangling
  d.write("loop/inner/real.py", kCounter);
  const Outcome o = scan_beside(d);
  EXPECT_TRUE(diagnostic_about(o, "self.py", "")) << o.r.err;
  EXPECT_TRUE(diagnostic_about(o, "a.py", "")) << o.r.err;
  EXPECT_TRUE(has(o.r.out, "loop/inner/real.py:9:9: RA001")) << o.r.out;
  // Each file once: directory links are not followed.
  EXPECT_TRUE(has(o.r.out, "Found 2 hazards")) << o.r.out;
}

// True when every directory above `p` lets others search it and others may
// execute `p`: what user nobody needs to run it.
bool others_can_run(const fs::path& p) {
  std::error_code ec;
  const fs::path full = fs::canonical(p, ec);
  if (ec) return false;
  for (fs::path at = full;; at = at.parent_path()) {
    struct stat st {};
    if (stat(at.c_str(), &st) != 0 || !(st.st_mode & S_IXOTH)) return false;
    if (at == at.root_path()) return true;
  }
}

TEST(Hostile, FileThatCannotBeReadForLackOfPermission) {
  TempDir d;
  // Root reads anything (CAP_DAC_OVERRIDE), and CI runs as root: the scan
  // then runs as nobody (65534), who needs to enter the directory, read
  // counter.py and run the binary (a copy when the build tree is closed to it).
  RunOptions how;
  TempDir bin;
  if (geteuid() == 0) {
    how.uid = 65534;
    how.gid = 65534;
    umask(022);
    ASSERT_EQ(chmod(d.path.c_str(), 0755), 0) << std::strerror(errno);
    if (!others_can_run(RACEAUDIT_BINARY)) {
      how.binary = bin.path + "/raceaudit";
      fs::copy_file(RACEAUDIT_BINARY, how.binary);
      ASSERT_EQ(chmod(bin.path.c_str(), 0755), 0) << std::strerror(errno);
      ASSERT_EQ(chmod(how.binary.c_str(), 0755), 0) << std::strerror(errno);
    }
  }
  const std::string p = d.write("secret.py", kCounter);
  ASSERT_EQ(chmod(p.c_str(), 0), 0);
  if (geteuid() != 0)
    if (FILE* f = std::fopen(p.c_str(), "r")) {
      std::fclose(f);
      GTEST_SKIP() << "chmod 000 does not deny reading here (capabilities?)";
    }
  fs::create_directories(fs::path(d.path) / "closed");
  d.write("closed/inside.py", kCounter);
  ASSERT_EQ(chmod((d.path + "/closed").c_str(), 0), 0);
  const Outcome o = scan_beside(d, {}, 60, how);  // clean, exit 1, counter.py's finding reported
  EXPECT_EQ(lines_of(o.r.err).size(), 2u) << "one line for each unreadable entry:\n" << o.r.err;
  EXPECT_TRUE(diagnostic_about(o, "secret.py", "cannot read file: Permission denied")) << o.r.err;
  EXPECT_TRUE(diagnostic_about(o, "closed", "cannot read directory: Permission denied")) << o.r.err;
  EXPECT_TRUE(has(o.r.out, "Found 1 hazard ")) << "only counter.py was analysed:\n" << o.r.out;
}

// Works as root too: a file whose read() fails with EIO. /proc/self/mem opens
// for the process itself, and reading at offset 0 (unmapped) fails.
TEST(Hostile, FileWhoseReadFails) {
  if (access("/proc/self/mem", F_OK) != 0) GTEST_SKIP() << "no /proc/self/mem";
  TempDir d;
  fs::create_symlink("/proc/self/mem", fs::path(d.path) / "mem.py");
  const Outcome o = scan_beside(d, {"--follow-links"});  // the link leaves the tree
  EXPECT_TRUE(diagnostic_about(o, "mem.py", "cannot read")) << o.r.err;
}

TEST(Hostile, PathThatDoesNotExist) {
  TempDir d;
  d.write("counter.py", kCounter);
  const Outcome o = run_with_deadline({"scan", "no/such/dir", "counter.py"}, d.path);
  EXPECT_TRUE(clean(o));
  EXPECT_EQ(o.r.exit_code, 2) << o.r.out << o.r.err;
  const auto err = lines_of(o.r.err);
  ASSERT_EQ(err.size(), 1u) << o.r.err;
  EXPECT_TRUE(has(err[0], "raceaudit: error: ")) << err[0];
  EXPECT_TRUE(has(err[0], "no/such/dir")) << err[0];
}

// ---- inputs that made raceaudit quadratic (fuzz-findings.md) -------------------

// 100,000 lines `type(self).x = 1`: each one used to rescan all accesses so far.
TEST(Hostile, ManyTypeSelfAssignments) {
  TempDir d;
  d.write("types.py", "class C:\n    def f(self):\n" + repeat("        type(self).x = 1\n", 100'000));
  scan_beside(d);
}

// Peak resident memory of the children waited for so far, in KiB.
long children_max_rss_kib() {
  rusage ru{};
  getrusage(RUSAGE_CHILDREN, &ru);
  return ru.ru_maxrss;
}

// A comparison chain of 10,000 checks of one location guarding 10,000 acts
// on it: guard pairs must not be checks x acts (100 million).
TEST(Hostile, LongComparisonChainGuardingManyActs) {
  TempDir d;
  constexpr size_t n = 10'000;
  std::string text = "class C:\n    def f(self):\n        if self.a";
  for (size_t i = 1; i < n; ++i) text += " == self.a";
  text += ":\n" + repeat("            self.a.append(1)\n", n);
  d.write("chain.py", text);
  const long before = children_max_rss_kib();
  scan_beside(d);
  const long after = children_max_rss_kib();
  long limit_kib = 256 * 1024;
#if defined(__SANITIZE_ADDRESS__)
  limit_kib *= 3;
#endif
  // ru_maxrss is a maximum over all children: it tells only when it grew.
  if (after > before) EXPECT_LT(after, limit_kib) << "a 0.6 MB file made raceaudit use " << after / 1024 << " MiB";
}

}  // namespace
}  // namespace raceaudit::testing
