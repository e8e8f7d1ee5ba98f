#include "stress/classifier.h"

#include <csignal>

#include <gtest/gtest.h>

namespace raceaudit::stress {
namespace {

ProcessResult exited(int code, const std::string& err = "") {
    ProcessResult r;
    r.started = true;
    r.exited = true;
    r.exit_code = code;
    r.err.append(err);
    return r;
}

ProcessResult killed(int sig, const std::string& err = "") {
    ProcessResult r;
    r.started = true;
    r.signaled = true;
    r.term_signal = sig;
    r.err.append(err);
    return r;
}

constexpr const char* kIndexError = R"(Traceback (most recent call last):
  File "<string>", line 23, in <module>
  File "/app/repro.py", line 5, in pop_from
    return items.pop()
IndexError: pop from empty list
)";

TEST(Classifier, ViaNamesTheCallerOfTheStandardLibrary) {
    const std::string err = R"(Traceback (most recent call last):
  File "<string>", line 23, in <module>
  File "/app/repro.py", line 9, in take
    heapq.heappop(heap)
  File "/usr/lib/pypy3.9/heapq.py", line 267, in _siftup
    if rightpos < endpos and not heap[childpos] < heap[rightpos]:
IndexError: list index out of range
)";
    const Outcome o = classify(exited(1, err), std::nullopt, 60, {"/usr/lib/pypy3.9"});
    ASSERT_TRUE(o.where);
    EXPECT_EQ(o.where->function, "_siftup");
    ASSERT_TRUE(o.via);
    EXPECT_EQ(o.via->function, "take");
    // Not set when the innermost frame is already outside the standard library.
    EXPECT_FALSE(classify(exited(1, kIndexError), std::nullopt, 60, {"/usr/lib/pypy3.9"}).via);
}

TEST(Classifier, CleanExitIsOk) {
    const Outcome o = classify(exited(0, "some warning\n"), std::nullopt, 60);
    EXPECT_EQ(o.kind, OutcomeKind::ok);
    EXPECT_FALSE(o.failed());
}

TEST(Classifier, TracebackAndNonZeroExitIsException) {
    const Outcome o = classify(exited(1, kIndexError), std::nullopt, 60);
    EXPECT_EQ(o.kind, OutcomeKind::exception);
    EXPECT_EQ(o.exception_type, "IndexError");
    EXPECT_EQ(o.message, "pop from empty list");
    ASSERT_TRUE(o.where);
    EXPECT_EQ(o.where->file, "/app/repro.py");
    EXPECT_EQ(o.where->line, 5);
    EXPECT_EQ(o.phase, "main");
}

TEST(Classifier, ThreadTracebackWithCleanExitIsException) {
    const std::string err = std::string("Exception in thread Thread-3:\n") + kIndexError;
    const Outcome o = classify(exited(0, err), std::nullopt, 60);
    EXPECT_EQ(o.kind, OutcomeKind::exception);
    EXPECT_EQ(o.phase, "thread");
    EXPECT_EQ(o.exception_count, 1u);
}

TEST(Classifier, NonZeroExitWithoutTraceback) {
    const Outcome o = classify(exited(3), std::nullopt, 60);
    EXPECT_EQ(o.kind, OutcomeKind::exit_code);
    EXPECT_EQ(o.exit_code, 3);
}

TEST(Classifier, SignalIsCrashWithFatalError) {
    const Outcome o = classify(killed(SIGSEGV, "Fatal Python error: Segmentation fault\n\n"
                                               "Current thread 0x1 (most recent call first):\n"
                                               "  File \"/app/c.py\", line 4 in boom\n"),
                               std::nullopt, 60);
    EXPECT_EQ(o.kind, OutcomeKind::crash);
    EXPECT_EQ(o.signal, SIGSEGV);
    EXPECT_EQ(o.fatal_error, "Segmentation fault");
    ASSERT_TRUE(o.where);
    EXPECT_EQ(o.where->function, "boom");
    EXPECT_EQ(describe(o), "crash SIGSEGV (Fatal Python error: Segmentation fault)");
}

TEST(Classifier, TimeoutIsHangWhateverTheSignal) {
    ProcessResult r = killed(SIGTERM);
    r.timed_out = true;
    const Outcome o = classify(r, std::nullopt, 2.5);
    EXPECT_EQ(o.kind, OutcomeKind::hang);
    EXPECT_EQ(o.timeout_s, 2.5);
    EXPECT_EQ(group_key(o), "hang");
}

TEST(Classifier, NotStartedIsError) {
    ProcessResult r;
    r.spawn_error = "cannot run /nope: No such file or directory";
    const Outcome o = classify(r, std::nullopt, 60);
    EXPECT_EQ(o.kind, OutcomeKind::error);
    EXPECT_NE(o.message.find("/nope"), std::string::npos);
}

TEST(Classifier, DriverViolationsAreWrongResult) {
    DriverResult d;
    d.status = DriverResult::Status::violations;
    d.violation_count = 7;
    for (int i = 0; i < 7; ++i) d.violations.push_back("dup " + std::to_string(i));
    const Outcome o = classify(exited(1), d, 60);
    EXPECT_EQ(o.kind, OutcomeKind::wrong_result);
    EXPECT_EQ(o.violation_count, 7u);
    EXPECT_EQ(o.violations.size(), 5u);  // only the first few are kept
}

TEST(Classifier, DriverExceptionCarriesItsLocation) {
    DriverResult d;
    d.status = DriverResult::Status::exception;
    d.exception_count = 4;
    DriverException e;
    e.type = "KeyError";
    e.message = "'boom'";
    e.phase = "worker";
    e.where = Frame{"/app/w.py", 27, "worker"};
    d.exception = e;
    const Outcome o = classify(exited(1), d, 60);
    EXPECT_EQ(o.kind, OutcomeKind::exception);
    EXPECT_EQ(o.exception_count, 4u);
    EXPECT_EQ(group_key(o), "exception|KeyError|/app/w.py:27 in worker");
}

TEST(Classifier, SignalWinsOverADriverResult) {
    DriverResult d;  // a result file from an earlier stage must not hide a crash
    const Outcome o = classify(killed(SIGABRT), d, 60);
    EXPECT_EQ(o.kind, OutcomeKind::crash);
}

TEST(Outcome, GroupKeysSeparateDistinctFailures) {
    Outcome a;
    a.kind = OutcomeKind::exception;
    a.exception_type = "IndexError";
    a.where = Frame{"/a.py", 1, "f"};
    Outcome b = a;
    b.message = "another message, same failure";
    EXPECT_EQ(group_key(a), group_key(b));
    b.where->line = 2;
    EXPECT_NE(group_key(a), group_key(b));
}

TEST(Classifier, WorkloadRunWithoutDriverResultIsNoResult) {
    // A worker called os._exit(0): no result file, nothing on stderr.
    const Outcome o = classify(exited(0), std::nullopt, 60, {}, /*expects_driver_result=*/true);
    EXPECT_EQ(o.kind, OutcomeKind::no_result);
    EXPECT_EQ(o.exit_code, 0);
    EXPECT_TRUE(o.failed());
    EXPECT_EQ(classify(exited(3), std::nullopt, 60, {}, true).kind, OutcomeKind::no_result);
    // A traceback still explains the exit; script mode is unchanged.
    EXPECT_EQ(classify(exited(1, kIndexError), std::nullopt, 60, {}, true).kind, OutcomeKind::exception);
    EXPECT_EQ(classify(exited(0), std::nullopt, 60).kind, OutcomeKind::ok);
}

}  // namespace
}  // namespace raceaudit::stress
