#include "stress/run_plan.h"

#include <algorithm>

#include <fmt/format.h>

#include "stress/embedded_scripts.h"

namespace raceaudit::stress {
namespace {

// Shortest text that reads back as the same double ("1e-06").
std::string number(double value) { return fmt::format("{}", value); }

std::vector<std::string> driver_argv(const StressConfig& c, const Interpreter& interp, const std::string& driver,
                                     int threads, const std::string& result_file) {
    std::vector<std::string> argv = {interp.executable, driver, "--call", c.call};
    if (!c.setup.empty()) {
        argv.push_back("--setup");
        argv.push_back(c.setup);
    }
    if (!c.check.empty()) {
        argv.push_back("--check");
        argv.push_back(c.check);
    }
    argv.insert(argv.end(), {"--threads", std::to_string(threads), "--rounds", std::to_string(c.rounds),
                             "--switch-interval", number(c.switch_interval)});
    if (c.faulthandler) argv.push_back("--dump-on-sigterm");
    argv.push_back("--result");
    argv.push_back(result_file);
    return argv;
}

std::vector<std::string> script_argv(const StressConfig& c, const Interpreter& interp) {
    std::vector<std::string> argv = {interp.executable, "-c", std::string(bootstrap_source()),
                                     number(c.switch_interval), c.faulthandler ? "1" : "0", c.script};
    argv.insert(argv.end(), c.script_args.begin(), c.script_args.end());
    return argv;
}

}  // namespace

std::vector<int> thread_counts(const StressConfig& config) {
    if (config.threads.empty()) return {0};
    return config.threads;
}

std::vector<std::string> run_environment(const StressConfig& c, int threads, int repeat) {
    auto env = current_environment();
    if (!c.paths.empty()) {
        std::string value;
        for (const auto& p : c.paths) {
            if (!value.empty()) value += ':';
            value += p;
        }
        if (auto old = find_env(env, "PYTHONPATH"); old && !old->empty()) value += ":" + *old;
        set_env(env, "PYTHONPATH", value);
    }
    if (threads > 0) set_env(env, "RACEAUDIT_THREADS", std::to_string(threads));
    set_env(env, "PYTHONUNBUFFERED", "1");
    if (c.faulthandler) set_env(env, "PYTHONFAULTHANDLER", "1");
    set_env(env, "RACEAUDIT_STRESS_RUN", std::to_string(repeat));
    return env;
}

Plan::Plan(const StressConfig& c, std::size_t interpreter_count, std::string work_dir)
    : threads_(thread_counts(c)),
      interpreters_(interpreter_count),
      size_(static_cast<std::size_t>(std::max(0, c.repeat)) * interpreter_count * threads_.size()),
      work_dir_(c.mode == StressConfig::Mode::workload ? std::move(work_dir) : std::string()) {}

// Index = (repeat * interpreters + interpreter) * thread counts + thread count.
PlannedRun Plan::at(std::size_t index) const {
    PlannedRun run;
    run.threads = threads_[index % threads_.size()];
    run.interpreter = (index / threads_.size()) % interpreters_;
    run.repeat = static_cast<int>(index / (threads_.size() * interpreters_));
    if (!work_dir_.empty()) run.result_file = fmt::format("{}/result-{}.json", work_dir_, index);
    return run;
}

Plan build_plan(const StressConfig& c, std::size_t interpreter_count, const std::string& work_dir) {
    return Plan(c, interpreter_count, work_dir);
}

ProcessSpec run_spec(const StressConfig& c, const std::vector<Interpreter>& interpreters,
                     const std::string& driver_path, const PlannedRun& run) {
    ProcessSpec spec;
    const Interpreter& interpreter = interpreters.at(run.interpreter);
    if (c.mode == StressConfig::Mode::workload) {
        spec.request.argv = driver_argv(c, interpreter, driver_path, run.threads, run.result_file);
    } else {
        spec.request.argv = script_argv(c, interpreter);
    }
    spec.request.env = run_environment(c, run.threads, run.repeat);
    spec.timeout_s = c.timeout;
    spec.kill_grace_s = c.kill_grace;
    return spec;
}

bool control_forces_gil(const StressConfig& c, const Interpreter& interpreter) {
    return c.control == ControlMode::gil && interpreter.free_threaded_build;
}

ProcessSpec control_spec(const StressConfig& c, const std::vector<Interpreter>& interpreters,
                         const std::string& driver_path, std::size_t interpreter, const std::string& result_file) {
    PlannedRun run;
    run.interpreter = interpreter;
    run.threads = 1;
    run.result_file = result_file;
    ProcessSpec spec = run_spec(c, interpreters, driver_path, run);
    if (control_forces_gil(c, interpreters.at(interpreter))) set_env(spec.request.env, "PYTHON_GIL", "1");
    return spec;
}

ProcessSpec preflight_spec(const StressConfig& c, const Interpreter& interpreter, const std::string& driver_path,
                           const std::string& result_file) {
    ProcessSpec spec;
    spec.request.argv = driver_argv(c, interpreter, driver_path, 1, result_file);
    spec.request.argv.push_back("--preflight");
    spec.request.env = run_environment(c, 1, 0);
    spec.timeout_s = c.timeout;
    spec.kill_grace_s = c.kill_grace;
    return spec;
}

}  // namespace raceaudit::stress
