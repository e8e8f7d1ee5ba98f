#include "stress/stress_session.h"

#include <algorithm>
#include <filesystem>
#include <optional>
#include <unistd.h>

#include <fmt/format.h>

#include "stress/classifier.h"
#include "stress/control_run.h"
#include "stress/driver_result.h"
#include "stress/embedded_scripts.h"
#include "stress/interpreter.h"
#include "stress/list_pythons.h"
#include "stress/process_pool.h"
#include "stress/report.h"
#include "stress/report_output.h"
#include "stress/report_writers.h"
#include "stress/run_plan.h"
#include "stress/signal_guard.h"
#include "stress/temp_dir.h"

namespace raceaudit::stress {
namespace {

constexpr int kUsageError = 2;
constexpr int kInterrupted = 130;

std::string first_line(const std::string& text) {
    std::string line = text.substr(0, text.find('\n'));
    return line.size() > 300 ? line.substr(0, 300) + "..." : line;
}

std::string last_line(const std::string& text) {
    std::size_t end = text.find_last_not_of("\n ");
    if (end == std::string::npos) return {};
    std::size_t start = text.rfind('\n', end);
    return first_line(text.substr(start == std::string::npos ? 0 : start + 1, end + 1));
}

// Shows "raceaudit stress: 12/40 runs, 3 failed" on a terminal.
class Progress {
public:
    explicit Progress(std::size_t total) : total_(total), enabled_(::isatty(STDERR_FILENO) == 1) {}
    void update(std::size_t done, std::size_t failed) {
        if (!enabled_) return;
        const std::string line = fmt::format("\rraceaudit stress: {}/{} runs, {} failed", done, total_, failed);
        [[maybe_unused]] ssize_t n = ::write(STDERR_FILENO, line.data(), line.size());
    }
    ~Progress() {
        if (!enabled_) return;
        const char clear[] = "\r\033[K";
        [[maybe_unused]] ssize_t n = ::write(STDERR_FILENO, clear, sizeof clear - 1);
    }

private:
    std::size_t total_;
    bool enabled_;
};

// Imports the workload's functions once per interpreter, so that a typo in
// --call or a missing --path is a usage error, not N identical failures.
bool preflight(const StressConfig& config, const std::vector<Interpreter>& interpreters, const std::string& driver,
               const TempDir& tmp, const SignalGuard& signals, std::ostream& err) {
    std::vector<ProcessSpec> specs;
    std::vector<std::string> result_files;
    for (std::size_t i = 0; i < interpreters.size(); ++i) {
        result_files.push_back(tmp.file(fmt::format("preflight-{}.json", i)));
        specs.push_back(preflight_spec(config, interpreters[i], driver, result_files.back()));
    }
    std::vector<std::string> errors(interpreters.size());
    run_processes(specs, config.jobs, signals, [&](std::size_t i, ProcessResult&& r) {
        if (r.interrupted) return;
        const auto result = read_driver_result(result_files[i]);
        if (result && result->status == DriverResult::Status::ok && r.exited && r.exit_code == 0) return;
        if (result && result->status == DriverResult::Status::load_error) {
            errors[i] = result->message;
        } else if (!r.started) {
            errors[i] = r.spawn_error;
        } else if (r.timed_out) {
            errors[i] = fmt::format("importing the workload took longer than {:g} s", config.timeout);
        } else {
            const std::string detail = last_line(r.err.text());
            errors[i] = fmt::format("the driver failed ({}){}{}",
                                    r.signaled ? fmt::format("signal {}", r.term_signal)
                                               : fmt::format("exit status {}", r.exit_code),
                                    detail.empty() ? "" : ": ", detail);
        }
    });
    if (signals.interrupt_signal() != 0) return false;
    for (std::size_t i = 0; i < interpreters.size(); ++i) {
        if (!errors[i].empty()) {
            err << "raceaudit: error: cannot load the workload with " << interpreters[i].name << ": " << errors[i]
                << '\n';
            return false;
        }
    }
    return true;
}

SessionInfo session_info(const StressConfig& c) {
    SessionInfo info;
    info.mode = c.mode;
    info.target = c.mode == StressConfig::Mode::script ? c.script : c.call;
    info.script_args = c.script_args;
    info.setup = c.setup;
    info.check = c.check;
    info.repeat = c.repeat;
    info.rounds = c.rounds;
    info.threads = thread_counts(c);
    info.switch_interval = c.switch_interval;
    info.timeout = c.timeout;
    info.jobs = c.jobs;
    info.control = c.control;
    return info;
}

// Runs the plan; `*start_error` gets the message of a run that could not be
// started (the session then stops starting runs: a tool error, exit 2).
Report run_plan(const StressConfig& config, const std::vector<Interpreter>& interpreters,
                const std::string& driver_path, const TempDir& tmp, const SignalGuard& signals,
                std::string* start_error) {
    const Plan plan = build_plan(config, interpreters.size(), tmp.path());
    const SpecSource spec_at = [&](std::size_t i) { return run_spec(config, interpreters, driver_path, plan.at(i)); };
    ReportBuilder builder(session_info(config), interpreters, plan.size());
    std::size_t done = 0;
    std::size_t failed = 0;
    Progress progress(plan.size());
    const bool workload = config.mode == StressConfig::Mode::workload;
    const auto on_finish = [&](std::size_t i, ProcessResult&& result) {
        if (result.interrupted) return;
        const PlannedRun run = plan.at(i);
        if (!result.started && start_error->empty()) {
            *start_error = fmt::format("run {} of {} could not be started: {}", i + 1, plan.size(),
                                       result.spawn_error);
        }
        std::optional<DriverResult> driver;
        if (!run.result_file.empty()) {
            driver = read_driver_result(run.result_file);
            std::error_code ec;
            std::filesystem::remove(run.result_file, ec);
        }
        Outcome outcome =
            classify(result, driver, config.timeout, interpreters[run.interpreter].stdlib_dirs, workload);
        ++done;
        if (outcome.failed()) ++failed;
        builder.add(i, run, result, std::move(outcome));
        progress.update(done, failed);
    };
    const PoolSummary summary =
        run_processes(plan.size(), spec_at, config.jobs, signals, on_finish, /*stop_after_start_failure=*/true);
    builder.set_interrupted(summary.interrupt_signal);
    return builder.finish();
}

// Runs the plan after the controls, or skips it (every cell empty) when a
// control failed or the session was interrupted during them.
Report threaded_runs(const StressConfig& config, const std::vector<Interpreter>& interpreters,
                     const std::string& driver_path, const TempDir& tmp, const SignalGuard& signals,
                     ControlResults controls, std::string* start_error) {
    Report report;
    if (controls.interrupted || any_control_failed(controls.runs)) {
        const Plan plan = build_plan(config, interpreters.size(), tmp.path());
        report = ReportBuilder(session_info(config), interpreters, plan.size()).finish();
        if (controls.interrupted) report.interrupt_signal = signals.interrupt_signal();
    } else {
        report = run_plan(config, interpreters, driver_path, tmp, signals, start_error);
    }
    report.controls = std::move(controls.runs);
    return report;
}

// The interpreters named by --python, each once, or the one-line error.
std::optional<std::vector<Interpreter>> resolve_all(const StressConfig& config, const SignalGuard& signals,
                                                    std::ostream& err) {
    std::vector<Interpreter> interpreters;
    std::vector<std::string> names;
    for (const auto& name : config.pythons) {  // the same name twice is one interpreter
        if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    }
    for (const auto& name : names) {
        auto resolved = resolve_interpreter(name, signals);
        if (signals.interrupt_signal() != 0) return std::nullopt;
        if (!resolved.interpreter) {
            err << "raceaudit: error: " << resolved.error << '\n';
            return std::nullopt;
        }
        interpreters.push_back(*resolved.interpreter);
    }
    return interpreters;
}

}  // namespace

int run_session(const StressConfig& config, std::ostream& out, std::ostream& err) {
    SignalGuard signals;
    // The report file is written at the end only, but checked now: a long
    // session must not be lost to a typo in -o.
    if (std::string error; !config.output_file.empty() && !output_file_writable(config.output_file, &error)) {
        err << "raceaudit: error: " << error << '\n';
        return kUsageError;
    }

    if (config.mode == StressConfig::Mode::list_pythons) {
        int status = 0;
        const bool written = emit_report(config.output_file, out, err, [&](std::ostream& o) {
            status = list_pythons(config.format, signals, o);
        });
        return written ? status : kUsageError;
    }

    const auto interpreters = resolve_all(config, signals, err);
    if (!interpreters) return signals.interrupt_signal() != 0 ? kInterrupted : kUsageError;

    TempDir tmp;
    std::string driver_path;
    if (config.mode == StressConfig::Mode::workload) {
        driver_path = tmp.write_file(kDriverFileName, driver_source());
        if (!preflight(config, *interpreters, driver_path, tmp, signals, err)) {
            return signals.interrupt_signal() != 0 ? kInterrupted : kUsageError;
        }
    }

    ControlResults controls;
    if (config.control != ControlMode::none) {
        controls = run_controls(config, *interpreters, driver_path, tmp, signals);
        if (!controls.start_error.empty()) {
            err << "raceaudit: error: " << controls.start_error << '\n';
            return kUsageError;
        }
    }

    std::string start_error;
    const Report report =
        threaded_runs(config, *interpreters, driver_path, tmp, signals, std::move(controls), &start_error);
    if (!start_error.empty()) err << "raceaudit: error: " << start_error << '\n';
    WriterOptions writer_options;
    writer_options.show_output = config.show_output;
    const bool written = emit_report(config.output_file, out, err, [&](std::ostream& o) {
        write_report(report, config.format, writer_options, o);
    });
    return written ? exit_status(report) : kUsageError;
}

}  // namespace raceaudit::stress
