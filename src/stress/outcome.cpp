#include "stress/outcome.h"

#include <fmt/format.h>

#include "stress/signal_names.h"

namespace raceaudit::stress {

std::string_view outcome_kind_name(OutcomeKind kind) {
    switch (kind) {
        case OutcomeKind::ok: return "ok";
        case OutcomeKind::exception: return "exception";
        case OutcomeKind::crash: return "crash";
        case OutcomeKind::hang: return "hang";
        case OutcomeKind::wrong_result: return "wrong-result";
        case OutcomeKind::exit_code: return "exit-code";
        case OutcomeKind::no_result: return "no-result";
        case OutcomeKind::error: return "error";
    }
    return "?";
}

std::string_view outcome_kind_title(OutcomeKind kind) {
    switch (kind) {
        case OutcomeKind::ok: return "ok";
        case OutcomeKind::exception: return "exception";
        case OutcomeKind::crash: return "crash";
        case OutcomeKind::hang: return "hang";
        case OutcomeKind::wrong_result: return "wrong result";
        case OutcomeKind::exit_code: return "other exit";
        case OutcomeKind::no_result: return "no result";
        case OutcomeKind::error: return "not started";
    }
    return "?";
}

std::string format_location(const Frame& frame) {
    if (frame.function.empty()) return fmt::format("{}:{}", frame.file, frame.line);
    return fmt::format("{}:{} in {}", frame.file, frame.line, frame.function);
}

std::string group_key(const Outcome& o) {
    const std::string where = o.where ? format_location(*o.where) : std::string();
    switch (o.kind) {
        case OutcomeKind::ok: return "ok";
        case OutcomeKind::exception: return fmt::format("exception|{}|{}", o.exception_type, where);
        case OutcomeKind::crash: return fmt::format("crash|{}|{}", o.signal, where);
        case OutcomeKind::hang: return "hang";
        case OutcomeKind::wrong_result: return "wrong-result";
        case OutcomeKind::exit_code: return fmt::format("exit-code|{}", o.exit_code);
        case OutcomeKind::no_result: return fmt::format("no-result|{}", o.exit_code);
        case OutcomeKind::error: return fmt::format("error|{}", o.message);
    }
    return "?";
}

std::string describe(const Outcome& o) {
    switch (o.kind) {
        case OutcomeKind::ok: return "ok";
        case OutcomeKind::exception: {
            std::string text = "exception " + o.exception_type;
            if (!o.message.empty()) text += ": " + o.message;
            if (o.phase == "thread") text += " (in a thread)";
            if (o.phase == "setup" || o.phase == "check") text += fmt::format(" (in {})", o.phase);
            if (o.exception_count > 1) text += fmt::format(" ({} threads raised)", o.exception_count);
            return text;
        }
        case OutcomeKind::crash: {
            std::string text = "crash " + signal_name(o.signal);
            if (!o.fatal_error.empty()) text += " (Fatal Python error: " + o.fatal_error + ")";
            return text;
        }
        case OutcomeKind::hang: {
            std::string text = fmt::format("hang: still running after {:g} s", o.timeout_s);
            if (o.signal != 0) text += ", process group killed, leader ended by " + signal_name(o.signal);
            return text;
        }
        case OutcomeKind::wrong_result: {
            std::string text = fmt::format("wrong result: {} violation{}", o.violation_count,
                                           o.violation_count == 1 ? "" : "s");
            if (!o.violations.empty()) text += ", first: " + o.violations.front();
            return text;
        }
        case OutcomeKind::exit_code: return fmt::format("exit status {}", o.exit_code);
        case OutcomeKind::no_result:
            return fmt::format("no result: the workload ended the process (exit status {}) before the driver reported",
                               o.exit_code);
        case OutcomeKind::error: return "not started: " + o.message;
    }
    return "?";
}

}  // namespace raceaudit::stress
