#pragma once
// How one run ended, and the identity of a distinct failure.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stress/traceback_parser.h"

namespace raceaudit::stress {

enum class OutcomeKind {
    ok,            // exit status 0, nothing wrong seen
    exception,     // an uncaught Python exception (main thread, a thread, or the workload)
    crash,         // killed by a signal (SIGSEGV, SIGABRT, ...)
    hang,          // still running at the timeout; its process group was killed
    wrong_result,  // the workload's check() reported invariant violations
    exit_code,     // any other non-zero exit status
    no_result,     // workload mode: the driver never wrote its result (e.g. the worker called os._exit)
    error,         // raceaudit could not start the process (a tool error, not a failed run)
};

inline constexpr OutcomeKind kAllOutcomeKinds[] = {
    OutcomeKind::ok,           OutcomeKind::exception, OutcomeKind::crash, OutcomeKind::hang,
    OutcomeKind::wrong_result, OutcomeKind::exit_code, OutcomeKind::no_result, OutcomeKind::error,
};

// Stable machine names: "ok", "exception", "crash", "hang", "wrong-result",
// "exit-code", "no-result", "error".
std::string_view outcome_kind_name(OutcomeKind kind);
// Column titles for humans: "ok", "exception", "crash", "hang",
// "wrong result", "other exit", "no result", "not started".
std::string_view outcome_kind_title(OutcomeKind kind);

struct Outcome {
    OutcomeKind kind = OutcomeKind::ok;
    // exception
    std::string exception_type;
    std::string message;           // also: spawn error, first violation
    std::optional<Frame> where;    // innermost frame of the code under test
    // When `where` is in the interpreter's standard library: the innermost
    // frame outside it (the caller that got into trouble), for display only.
    std::optional<Frame> via;
    std::string phase;             // "main", "thread", or the workload's "setup"/"worker"/"check"
    std::size_t exception_count = 0;  // threads that raised (workload mode)
    // crash / hang
    int signal = 0;
    std::string fatal_error;       // text after "Fatal Python error: "
    double timeout_s = 0.0;
    // exit_code, no_result
    int exit_code = 0;
    // wrong_result
    std::size_t violation_count = 0;
    std::vector<std::string> violations;  // the first few
    // The traceback or dump this outcome was read from, when there is one.
    std::string traceback;

    // Not ok. (A run that could not start is listed among the failures but
    // is a tool error, not a failed run: see Cell::failed().)
    bool failed() const { return kind != OutcomeKind::ok; }
};

// "path/to/file.py:12 in func" (or without " in func").
std::string format_location(const Frame& frame);

// Runs with the same key are the same distinct failure: exceptions by type
// and location, crashes by signal and location, exits by code; all hangs
// and all wrong results of one cell are one failure each.
std::string group_key(const Outcome& outcome);

// One line for humans, e.g. "exception IndexError: pop from empty list",
// "crash SIGSEGV (Fatal Python error: Segmentation fault)".
std::string describe(const Outcome& outcome);

}  // namespace raceaudit::stress
