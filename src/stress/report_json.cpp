// JSON report: everything the other formats show, plus one record per run.

#include <nlohmann/json.hpp>

#include "stress/report_writers.h"
#include "stress/signal_names.h"

namespace raceaudit::stress {
namespace {

using nlohmann::json;

json location_json(const std::optional<Frame>& frame) {
    if (!frame) return nullptr;
    return json{{"file", frame->file}, {"line", frame->line}, {"function", frame->function}};
}

json interpreter_json(const Interpreter& i) {
    return json{{"name", i.name},
                {"path", i.path},
                {"executable", i.executable},
                {"implementation", i.implementation},
                {"version", i.version()},
                {"implementation_version", i.implementation_version.empty() ? json(nullptr) : json(i.implementation_version)},
                {"gil_enabled", i.gil_enabled},
                {"free_threaded_build", i.free_threaded_build},
                {"description", i.description()}};
}

// What went wrong in one run; `out` and `err` are its captured output.
json outcome_json(const Outcome& o, const WriterOptions& options, const std::string& out, const std::string& err) {
    json j{{"kind", outcome_kind_name(o.kind)},
           {"description", describe(o)},
           {"location", location_json(o.where)},
           {"via", location_json(o.via)}};
    switch (o.kind) {
        case OutcomeKind::exception:
            j["exception_type"] = o.exception_type;
            j["message"] = o.message;
            j["phase"] = o.phase;
            if (o.exception_count > 0) j["threads_raised"] = o.exception_count;
            break;
        case OutcomeKind::crash:
            j["signal"] = signal_name(o.signal);
            j["fatal_error"] = o.fatal_error.empty() ? json(nullptr) : json(o.fatal_error);
            break;
        case OutcomeKind::hang:
            j["timeout_s"] = o.timeout_s;
            j["signal"] = o.signal != 0 ? json(signal_name(o.signal)) : json(nullptr);
            break;
        case OutcomeKind::wrong_result:
            j["violation_count"] = o.violation_count;
            j["violations"] = o.violations;
            break;
        case OutcomeKind::exit_code:
        case OutcomeKind::no_result:
            j["exit_code"] = o.exit_code;
            break;
        case OutcomeKind::error:
            j["message"] = o.message;
            break;
        case OutcomeKind::ok:
            break;
    }
    if (!o.traceback.empty()) j["traceback"] = o.traceback;
    if (options.show_output) {
        j["stdout"] = out;
        j["stderr"] = err;
    }
    return j;
}

json failure_json(const FailureGroup& g, const WriterOptions& options) {
    json j = outcome_json(g.first, options, g.first_stdout, g.first_stderr);
    j["count"] = g.count;
    j["first_run"] = g.first_repeat + 1;
    return j;
}

json control_json(const Report& report, const WriterOptions& options) {
    json runs = json::array();
    for (const auto& c : report.controls) {
        const Outcome& o = c.outcome;
        runs.push_back(json{{"interpreter", report.interpreters.at(c.interpreter).name},
                            {"interpreter_index", c.interpreter},
                            {"threads", 1},
                            {"gil_forced", c.gil_forced},
                            {"outcome", outcome_kind_name(o.kind)},
                            {"failure", o.failed() ? outcome_json(o, options, c.stdout_text, c.stderr_text)
                                                   : json(nullptr)},
                            {"exit_code", c.exited ? json(c.exit_code) : json(nullptr)},
                            {"duration_s", c.duration_s}});
    }
    return json{{"mode", control_mode_name(report.info.control)},
                {"failed", report.reproducer_broken()},
                {"threaded_runs_skipped", report.reproducer_broken()},
                {"runs", runs}};
}

}  // namespace

void write_json_report(const Report& report, const WriterOptions& options, std::ostream& out) {
    const SessionInfo& s = report.info;
    json threads = json::array();
    for (int t : s.threads) threads.push_back(t > 0 ? json(t) : json(nullptr));
    json doc{
        {"tool", "raceaudit"},
        {"command", "stress"},
        {"format_version", 1},
        {"mode", s.mode == StressConfig::Mode::script ? "script" : "workload"},
        {"target", s.target},
        {"settings",
         {{"repeat", s.repeat},
          {"rounds", s.rounds},
          {"threads", threads},
          {"switch_interval", s.switch_interval},
          {"timeout", s.timeout},
          {"jobs", s.jobs},
          {"control", control_mode_name(s.control)}}},
    };
    if (s.mode == StressConfig::Mode::script) {
        doc["args"] = s.script_args;
    } else {
        doc["setup"] = s.setup.empty() ? json(nullptr) : json(s.setup);
        doc["check"] = s.check.empty() ? json(nullptr) : json(s.check);
    }
    json interpreters = json::array();
    for (const auto& i : report.interpreters) interpreters.push_back(interpreter_json(i));
    doc["interpreters"] = interpreters;

    json cells = json::array();
    for (const auto& cell : report.cells) {
        json counts = json::object();
        for (OutcomeKind k : kAllOutcomeKinds) counts[std::string(outcome_kind_name(k))] = cell.count(k);
        json failures = json::array();
        for (const auto& g : cell.failures) failures.push_back(failure_json(g, options));
        cells.push_back(json{{"interpreter", report.interpreters.at(cell.interpreter).name},
                             {"interpreter_index", cell.interpreter},
                             {"threads", cell.threads > 0 ? json(cell.threads) : json(nullptr)},
                             {"runs", cell.runs},
                             {"failed", cell.failed()},
                             {"counts", counts},
                             {"failures", failures}});
    }
    doc["control"] = control_json(report, options);
    doc["cells"] = cells;

    json runs = json::array();
    for (const auto& r : report.runs) {
        runs.push_back(json{{"interpreter", r.interpreter},
                            {"threads", r.threads > 0 ? json(r.threads) : json(nullptr)},
                            {"repeat", r.repeat + 1},
                            {"outcome", outcome_kind_name(r.kind)},
                            {"failure", r.kind == OutcomeKind::ok ? json(nullptr) : json(r.failure)},
                            {"exit_code", r.exited ? json(r.exit_code) : json(nullptr)},
                            {"signal", r.signal != 0 ? json(signal_name(r.signal)) : json(nullptr)},
                            {"duration_s", r.duration_s},
                            {"stdout_bytes", r.stdout_bytes},
                            {"stderr_bytes", r.stderr_bytes}});
    }
    doc["runs"] = runs;
    doc["summary"] = json{{"planned_runs", report.planned_runs},
                          {"completed_runs", report.completed_runs()},
                          {"failed_runs", report.failed_runs()},
                          {"distinct_failures", report.distinct_failures()},
                          {"interrupted", report.interrupt_signal != 0},
                          {"not_started_runs", report.not_started_runs()},
                          {"race_confirmed", report.race_confirmed()},
                          {"reproducer_broken", report.reproducer_broken()},
                          {"status", report.status()}};
    // Captured output may be any bytes: replace invalid UTF-8 rather than throw.
    out << doc.dump(2, ' ', false, json::error_handler_t::replace) << '\n';
}

}  // namespace raceaudit::stress
