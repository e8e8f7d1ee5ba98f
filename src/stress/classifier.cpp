#include "stress/classifier.h"

#include <fmt/format.h>

namespace raceaudit::stress {
namespace {

constexpr std::size_t kViolationsKept = 5;

// Sets o.via from the frames when o.where is in the standard library.
void add_via(Outcome& o, const std::vector<Frame>& frames, const std::vector<std::string>& stdlib_dirs) {
    if (!o.where || frames.empty()) return;
    const auto outside = innermost_frame_outside(frames, stdlib_dirs);
    if (outside && (outside->file != o.where->file || outside->line != o.where->line)) o.via = outside;
}

Outcome from_traceback(const ParsedTraceback& tb) {
    Outcome o;
    o.kind = OutcomeKind::exception;
    o.exception_type = tb.exception_type.empty() ? "<unknown>" : tb.exception_type;
    o.message = tb.message;
    o.where = innermost_frame(tb.frames);
    o.phase = tb.in_thread ? "thread" : "main";
    o.traceback = tb.text;
    return o;
}

Outcome from_driver(const DriverResult& d, const ProcessResult& result) {
    Outcome o;
    switch (d.status) {
        case DriverResult::Status::exception: {
            const DriverException& e = *d.exception;
            o.kind = OutcomeKind::exception;
            o.exception_type = e.type;
            o.message = e.message;
            o.where = e.where;
            o.phase = e.phase;
            o.exception_count = d.exception_count;
            o.traceback = e.traceback;
            return o;
        }
        case DriverResult::Status::violations:
            o.kind = OutcomeKind::wrong_result;
            o.violation_count = d.violation_count;
            for (std::size_t i = 0; i < d.violations.size() && i < kViolationsKept; ++i) {
                o.violations.push_back(d.violations[i]);
            }
            return o;
        case DriverResult::Status::load_error:
            o.kind = OutcomeKind::error;
            o.message = d.message;
            return o;
        case DriverResult::Status::ok:
            if (result.exited && result.exit_code != 0) {
                o.kind = OutcomeKind::exit_code;
                o.exit_code = result.exit_code;
            }
            return o;
    }
    return o;
}

// The driver exited without writing its result: something ended the process
// under it (os._exit in the workload), so check() may never have run.
Outcome no_result(const ProcessResult& result) {
    Outcome o;
    o.kind = OutcomeKind::no_result;
    o.exit_code = result.exit_code;
    return o;
}

// Classifies, and hands out the frames `where` was taken from.
Outcome classify_frames(const ProcessResult& result, const std::optional<DriverResult>& driver, double timeout_s,
                        bool expects_driver_result, std::vector<Frame>* frames) {
    Outcome o;
    if (!result.started) {
        o.kind = OutcomeKind::error;
        o.message = result.spawn_error;
        return o;
    }
    const std::string stderr_text = result.err.text();
    if (result.timed_out) {
        o.kind = OutcomeKind::hang;
        o.timeout_s = timeout_s;
        o.signal = result.signaled ? result.term_signal : 0;
        if (auto dump = parse_fault_dump(stderr_text)) {
            o.where = innermost_frame(dump->frames);
            *frames = dump->frames;
        }
        return o;
    }
    if (result.signaled) {
        o.kind = OutcomeKind::crash;
        o.signal = result.term_signal;
        if (auto dump = parse_fault_dump(stderr_text)) {
            o.fatal_error = dump->fatal_error;
            o.where = innermost_frame(dump->frames);
            *frames = dump->frames;
        }
        return o;
    }
    if (driver) {
        if (driver->exception) {
            const auto tbs = parse_tracebacks(driver->exception->traceback);
            if (!tbs.empty()) *frames = tbs.back().frames;
        }
        return from_driver(*driver, result);
    }

    const auto tracebacks = parse_tracebacks(stderr_text);
    if (result.exit_code == 0) {
        // A clean exit, but a thread died of an uncaught exception: that is
        // the race showing itself even though the main thread did not notice.
        for (const auto& tb : tracebacks) {
            if (tb.in_thread) {
                o = from_traceback(tb);
                *frames = tb.frames;
                std::size_t threads = 0;
                for (const auto& other : tracebacks) threads += other.in_thread ? 1 : 0;
                o.exception_count = threads;
                return o;
            }
        }
        if (expects_driver_result) return no_result(result);
        return o;  // ok
    }
    // Non-zero exit: the last main-thread traceback is what ended the process.
    for (auto it = tracebacks.rbegin(); it != tracebacks.rend(); ++it) {
        if (!it->in_thread) {
            *frames = it->frames;
            return from_traceback(*it);
        }
    }
    if (!tracebacks.empty()) {
        *frames = tracebacks.back().frames;
        return from_traceback(tracebacks.back());
    }
    if (expects_driver_result) return no_result(result);
    o.kind = OutcomeKind::exit_code;
    o.exit_code = result.exit_code;
    return o;
}

}  // namespace

Outcome classify(const ProcessResult& result, const std::optional<DriverResult>& driver, double timeout_s,
                 const std::vector<std::string>& stdlib_dirs, bool expects_driver_result) {
    std::vector<Frame> frames;
    Outcome o = classify_frames(result, driver, timeout_s, expects_driver_result, &frames);
    add_via(o, frames, stdlib_dirs);
    return o;
}

}  // namespace raceaudit::stress
