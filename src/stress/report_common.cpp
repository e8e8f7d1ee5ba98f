#include <filesystem>

#include <fmt/format.h>

#include "util/paths.h"
#include "stress/report_writers.h"
#include "stress/signal_names.h"

namespace raceaudit::stress {

void write_report(const Report& report, ReportFormat format, const WriterOptions& options, std::ostream& out) {
    switch (format) {
        case ReportFormat::text: write_text_report(report, options, out); break;
        case ReportFormat::json: write_json_report(report, options, out); break;
        case ReportFormat::markdown: write_markdown_report(report, options, out); break;
    }
}

namespace report_detail {

std::string display_path(const std::string& path) {
    std::error_code ec;
    static const std::string cwd = std::filesystem::current_path(ec).string();
    if (!cwd.empty() && path.size() > cwd.size() + 1 && path.compare(0, cwd.size(), cwd) == 0 &&
        path[cwd.size()] == '/') {
        return raceaudit::display_path(path.substr(cwd.size() + 1));
    }
    return raceaudit::display_path(path);
}

std::string display_location(const Frame& frame) {
    Frame shown = frame;
    shown.file = display_path(frame.file);
    return format_location(shown);
}

std::string threads_label(int threads) { return threads > 0 ? std::to_string(threads) : "-"; }

std::string interpreter_label(const Report& report, std::size_t interpreter) {
    const Interpreter& interp = report.interpreters.at(interpreter);
    return fmt::format("{} ({})", interp.name, interp.description());
}

std::string cell_label(const Report& report, const Cell& cell) {
    std::string label = interpreter_label(report, cell.interpreter);
    if (cell.threads > 0) label += fmt::format(", {} thread{}", cell.threads, cell.threads == 1 ? "" : "s");
    return label;
}

bool rare_kind(OutcomeKind kind) { return kind == OutcomeKind::no_result || kind == OutcomeKind::error; }

bool any_of_kind(const Report& report, OutcomeKind kind) {
    for (const auto& cell : report.cells) {
        if (cell.count(kind) > 0) return true;
    }
    return false;
}

std::string control_label(const ControlRun& control) {
    return control.gil_forced ? "control run, 1 thread, PYTHON_GIL=1" : "control run, 1 thread";
}

namespace {

std::string broken_line(const Report& report) {
    std::string names;
    for (const auto& control : report.controls) {
        if (!control.outcome.failed()) continue;
        if (!names.empty()) names += ", ";
        names += report.interpreters.at(control.interpreter).name;
    }
    return fmt::format("reproducer broken, not a race: it failed in the single-threaded control run under {}; "
                       "the {} threaded run{} skipped",
                       names, report.planned_runs, report.planned_runs == 1 ? " was" : "s were");
}

}  // namespace

std::string summary_line(const Report& report) {
    std::string line;
    const std::size_t failed = report.failed_runs();
    const std::size_t done = report.completed_runs();
    if (report.reproducer_broken()) {
        line = broken_line(report);
    } else if (failed > 0) {
        const std::size_t distinct = report.distinct_failures();
        line = fmt::format("race confirmed: {} of {} runs failed ({} distinct failure{})", failed, done, distinct,
                           distinct == 1 ? "" : "s");
    } else {
        line = fmt::format("no failure in {} run{}", done, done == 1 ? "" : "s");
    }
    if (const std::size_t n = report.not_started_runs(); n > 0) {
        line += fmt::format("; stopped: {} run{} could not be started", n, n == 1 ? "" : "s");
    }
    if (report.interrupt_signal != 0) {
        line += fmt::format("; interrupted by {} after {} of {} runs", signal_name(report.interrupt_signal), done,
                            report.planned_runs);
    }
    return line;
}

std::string settings_line(const Report& report) {
    const SessionInfo& s = report.info;
    std::string line = fmt::format("{} run{} per cell", s.repeat, s.repeat == 1 ? "" : "s");
    if (s.mode == StressConfig::Mode::workload && s.rounds > 1) line += fmt::format(" of {} rounds", s.rounds);
    line += fmt::format(", switch interval {:g} s, timeout {:g} s, {} parallel job{}", s.switch_interval, s.timeout,
                        s.jobs, s.jobs == 1 ? "" : "s");
    return line;
}

}  // namespace report_detail
}  // namespace raceaudit::stress
