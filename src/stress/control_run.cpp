#include "stress/control_run.h"

#include <filesystem>
#include <optional>

#include <fmt/format.h>

#include "stress/classifier.h"
#include "stress/driver_result.h"
#include "stress/process_pool.h"
#include "stress/run_plan.h"

namespace raceaudit::stress {

ControlResults run_controls(const StressConfig& config, const std::vector<Interpreter>& interpreters,
                            const std::string& driver_path, const TempDir& tmp, const SignalGuard& signals) {
    const bool workload = config.mode == StressConfig::Mode::workload;
    std::vector<ProcessSpec> specs;
    std::vector<std::string> result_files;
    for (std::size_t i = 0; i < interpreters.size(); ++i) {
        result_files.push_back(workload ? tmp.file(fmt::format("control-{}.json", i)) : std::string());
        specs.push_back(control_spec(config, interpreters, driver_path, i, result_files.back()));
    }
    ControlResults results;
    std::vector<std::optional<ControlRun>> finished(interpreters.size());
    run_processes(specs, config.jobs, signals, [&](std::size_t i, ProcessResult&& r) {
        if (r.interrupted) {
            results.interrupted = true;
            return;
        }
        if (!r.started && results.start_error.empty()) {
            results.start_error = fmt::format("the control run could not be started: {}", r.spawn_error);
        }
        std::optional<DriverResult> driver;
        if (workload) driver = read_driver_result(result_files[i]);
        ControlRun& run = finished[i].emplace();
        run.interpreter = i;
        run.gil_forced = control_forces_gil(config, interpreters[i]);
        run.outcome = classify(r, driver, config.timeout, interpreters[i].stdlib_dirs, workload);
        run.exited = r.exited;
        run.exit_code = r.exit_code;
        run.duration_s = r.duration_s;
        run.stdout_text = r.out.text();
        run.stderr_text = r.err.text();
    });
    if (signals.interrupt_signal() != 0) results.interrupted = true;
    for (auto& run : finished) {
        if (run) results.runs.push_back(std::move(*run));
    }
    return results;
}

}  // namespace raceaudit::stress
