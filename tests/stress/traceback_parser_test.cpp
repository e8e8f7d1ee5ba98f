#include "stress/traceback_parser.h"

#include <gtest/gtest.h>

namespace raceaudit::stress {
namespace {

// CPython 3.11, run through raceaudit's -c bootstrap.
constexpr const char* kCPython311 = R"(Exception in thread Thread-1 (w):
Traceback (most recent call last):
  File "/root/.pyenv/versions/3.11.7/lib/python3.11/threading.py", line 1045, in _bootstrap_inner
    self.run()
  File "/root/.pyenv/versions/3.11.7/lib/python3.11/threading.py", line 982, in run
    self._target(*self._args, **self._kwargs)
  File "/tmp/te.py", line 3, in w
    [][1]
    ~~^^^
IndexError: list index out of range
Traceback (most recent call last):
  File "<string>", line 23, in <module>
  File "<string>", line 20, in _raceaudit_bootstrap
  File "<frozen runpy>", line 291, in run_path
  File "<frozen runpy>", line 98, in _run_module_code
  File "<frozen runpy>", line 88, in _run_code
  File "/tmp/te.py", line 7, in <module>
    g()
  File "/tmp/te.py", line 6, in g
    def g(): raise E("boom\nsecond line")
             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^
E: boom
second line
)";

TEST(TracebackParser, CPythonThreadAndMainTracebacks) {
    const auto tbs = parse_tracebacks(kCPython311);
    ASSERT_EQ(tbs.size(), 2u);
    EXPECT_TRUE(tbs[0].in_thread);
    EXPECT_EQ(tbs[0].thread_name, "Thread-1 (w)");
    EXPECT_EQ(tbs[0].exception_type, "IndexError");
    EXPECT_EQ(tbs[0].message, "list index out of range");
    ASSERT_EQ(tbs[0].frames.size(), 3u);
    const auto inner0 = innermost_frame(tbs[0].frames);
    ASSERT_TRUE(inner0);
    EXPECT_EQ(inner0->file, "/tmp/te.py");
    EXPECT_EQ(inner0->line, 3);
    EXPECT_EQ(inner0->function, "w");

    EXPECT_FALSE(tbs[1].in_thread);
    EXPECT_EQ(tbs[1].exception_type, "E");
    EXPECT_EQ(tbs[1].message, "boom");
    ASSERT_EQ(tbs[1].frames.size(), 7u);
    const auto inner1 = innermost_frame(tbs[1].frames);
    ASSERT_TRUE(inner1);
    EXPECT_EQ(inner1->line, 6);
    EXPECT_EQ(inner1->function, "g");
    EXPECT_NE(tbs[1].text.find("Traceback (most recent call last):"), std::string::npos);
}

TEST(TracebackParser, PythonThreeSixQualifiedMainType) {
    const auto tbs = parse_tracebacks(R"(Traceback (most recent call last):
  File "<string>", line 1, in <module>
  File "/root/.pyenv/versions/3.6.15/lib/python3.6/runpy.py", line 263, in run_path
    pkg_name=pkg_name, script_name=fname)
  File "/tmp/te.py", line 6, in g
    def g(): raise E("boom")
__main__.E: boom
)");
    ASSERT_EQ(tbs.size(), 1u);
    EXPECT_EQ(tbs[0].exception_type, "E");
    EXPECT_EQ(tbs[0].message, "boom");
}

TEST(TracebackParser, DottedTypeNoMessageAndChains) {
    const auto tbs = parse_tracebacks(R"(Traceback (most recent call last):
  File "/app/a.py", line 3, in f
    d["k"]
KeyError: 'k'

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "/app/a.py", line 5, in f
    raise pkg.errors.Broken
pkg.errors.Broken
)");
    ASSERT_EQ(tbs.size(), 2u);
    EXPECT_EQ(tbs[0].exception_type, "KeyError");
    EXPECT_EQ(tbs[0].message, "'k'");
    EXPECT_EQ(tbs[1].exception_type, "pkg.errors.Broken");
    EXPECT_EQ(tbs[1].message, "");
}

TEST(TracebackParser, SyntaxErrorLocationWithoutFunction) {
    const auto tbs = parse_tracebacks(R"(Traceback (most recent call last):
  File "<string>", line 23, in <module>
  File "<frozen runpy>", line 290, in run_path
  File "/tmp/bad.py", line 2
    def (
        ^
SyntaxError: invalid syntax
)");
    ASSERT_EQ(tbs.size(), 1u);
    EXPECT_EQ(tbs[0].exception_type, "SyntaxError");
    const auto inner = innermost_frame(tbs[0].frames);
    ASSERT_TRUE(inner);
    EXPECT_EQ(inner->file, "/tmp/bad.py");
    EXPECT_EQ(inner->line, 2);
    EXPECT_EQ(inner->function, "");
}

TEST(TracebackParser, InnermostSkipsOnlyHarnessFrames) {
    std::vector<Frame> frames = {
        {"<string>", 23, "<module>"},
        {"/usr/lib/pypy3.9/runpy.py", 87, "_run_code"},
        {"/app/repro.py", 10, "main"},
        {"/usr/lib/python3.11/threading.py", 690, "wait"},
    };
    // A frame inside threading.py that is not thread start-up is user-visible.
    EXPECT_EQ(innermost_frame(frames)->function, "wait");
    frames.pop_back();
    EXPECT_EQ(innermost_frame(frames)->function, "main");
    const std::vector<Frame> driver_only = {{"/tmp/x/raceaudit_stress_driver.py", 120, "run_worker"}};
    EXPECT_EQ(innermost_frame(driver_only)->line, 120);
    EXPECT_FALSE(innermost_frame({}));
}

TEST(TracebackParser, InnermostOutsideTheStandardLibrary) {
    const std::vector<Frame> frames = {
        {"<string>", 23, "<module>"},
        {"/app/repro.py", 10, "main"},
        {"/usr/lib/python3/dist-packages/pyfakefs/fake_filesystem.py", 1512, "_add_open_file"},
        {"<frozen importlib._bootstrap>", 1, "_call"},
        {"/usr/lib/pypy3.9/heapq.py", 267, "_siftup"},
    };
    const std::vector<std::string> stdlib = {"/usr/lib/pypy3.9"};
    EXPECT_EQ(innermost_frame(frames)->function, "_siftup");
    const auto outside = innermost_frame_outside(frames, stdlib);
    ASSERT_TRUE(outside);
    EXPECT_EQ(outside->function, "_add_open_file");
    // site-packages below the standard library directory are not the standard library.
    const std::vector<Frame> pyenv = {{"/py/lib/python3.11/site-packages/pkg/m.py", 3, "f"},
                                      {"/py/lib/python3.11/threading.py", 300, "wait"}};
    EXPECT_EQ(innermost_frame_outside(pyenv, {"/py/lib/python3.11"})->function, "f");
    EXPECT_FALSE(innermost_frame_outside({{"/py/lib/python3.11/json/decoder.py", 1, "d"}}, {"/py/lib/python3.11"}));
}

TEST(FaultDump, CPythonSegfault) {
    const auto dump = parse_fault_dump(R"(Fatal Python error: Segmentation fault

Thread 0x00007f0000000001 (most recent call first):
  File "/app/other.py", line 9 in spin

Current thread 0x00007f6919a25b80 (most recent call first):
  File "/usr/lib/python3.11/ctypes/__init__.py", line 519 in string_at
  File "/tmp/fh.py", line 9 in f
  File "/tmp/fh.py", line 10 in <module>
  File "<string>", line 23 in <module>

Extension modules: _ctypes (total: 1)
)");
    ASSERT_TRUE(dump);
    EXPECT_EQ(dump->fatal_error, "Segmentation fault");
    ASSERT_EQ(dump->frames.size(), 4u);
    EXPECT_EQ(dump->frames.front().file, "<string>");  // outermost first
    const auto inner = innermost_frame(dump->frames);
    ASSERT_TRUE(inner);
    EXPECT_EQ(inner->function, "string_at");
    EXPECT_EQ(inner->line, 519);
}

TEST(FaultDump, PyPyAbort) {
    const auto dump = parse_fault_dump(R"(Fatal Python error: Aborted

Stack (most recent call first, approximate line numbers):
  File "/tmp/fh2.py", line 2 in f
  File "/tmp/fh2.py", line 1 in <module>
  File "<builtin>/app_main.py", line 1012 in execfile
  File "<builtin>/app_main.py", line 1126 in entry_point
)");
    ASSERT_TRUE(dump);
    EXPECT_EQ(dump->fatal_error, "Aborted");
    const auto inner = innermost_frame(dump->frames);
    ASSERT_TRUE(inner);
    EXPECT_EQ(inner->file, "/tmp/fh2.py");
    EXPECT_EQ(inner->function, "f");
}

TEST(FaultDump, StackDumpWithoutFatalError) {
    const auto dump = parse_fault_dump(R"(Current thread 0x00007fbf13410b80 (most recent call first):
  File "/app/hang.py", line 21 in <module>
  File "<frozen runpy>", line 88 in _run_code
)");
    ASSERT_TRUE(dump);
    EXPECT_EQ(dump->fatal_error, "");
    ASSERT_TRUE(innermost_frame(dump->frames));
    EXPECT_EQ(innermost_frame(dump->frames)->line, 21);
    EXPECT_FALSE(parse_fault_dump("just some output\n"));
}

}  // namespace
}  // namespace raceaudit::stress
