#pragma once
// Which runs a stress session makes (interpreter x thread count x repeat)
// and the exact command line and environment of each.

#include <cstddef>
#include <string>
#include <vector>

#include "stress/interpreter.h"
#include "stress/options.h"
#include "stress/process_pool.h"

namespace raceaudit::stress {

struct PlannedRun {
    std::size_t interpreter = 0;  // index into the resolved interpreters
    int threads = 0;              // 0: not set (script mode without --threads)
    int repeat = 0;               // 0-based
    std::string result_file;      // workload mode: where the driver writes its JSON
};

// The runs of a session, each computed from its index when asked for, so
// that a plan of a million runs takes no more memory than a plan of ten.
class Plan {
public:
    Plan(const StressConfig& config, std::size_t interpreter_count, std::string work_dir);
    std::size_t size() const { return size_; }
    PlannedRun at(std::size_t index) const;

private:
    std::vector<int> threads_;
    std::size_t interpreters_ = 0;
    std::size_t size_ = 0;
    std::string work_dir_;  // empty in script mode: no result files
};

// Thread counts of the session: config.threads, or {0} (unset) in script
// mode without --threads.
std::vector<int> thread_counts(const StressConfig& config);

// Runs are ordered repeat by repeat (each repeat covers every interpreter and
// thread count), so an interrupted session still has results for every cell.
// `work_dir` is where workload runs write their results.
Plan build_plan(const StressConfig& config, std::size_t interpreter_count, const std::string& work_dir);

// The command line and environment of one planned run. `driver_path` is
// used in workload mode only.
ProcessSpec run_spec(const StressConfig& config, const std::vector<Interpreter>& interpreters,
                     const std::string& driver_path, const PlannedRun& run);

// Whether the control run sets PYTHON_GIL=1: --control gil on a
// free-threaded build (elsewhere the GIL is on anyway).
bool control_forces_gil(const StressConfig& config, const Interpreter& interpreter);

// The control run under one interpreter: one thread (the driver's --threads 1,
// RACEAUDIT_THREADS=1 for a script), PYTHON_GIL=1 when control_forces_gil().
ProcessSpec control_spec(const StressConfig& config, const std::vector<Interpreter>& interpreters,
                         const std::string& driver_path, std::size_t interpreter, const std::string& result_file);

// One short run of the driver that only imports the workload's functions.
ProcessSpec preflight_spec(const StressConfig& config, const Interpreter& interpreter,
                           const std::string& driver_path, const std::string& result_file);

// The environment of every run: the current one, plus PYTHONPATH (--path
// first), RACEAUDIT_THREADS (when threads > 0), PYTHONUNBUFFERED=1,
// PYTHONFAULTHANDLER=1 (unless disabled) and RACEAUDIT_STRESS_RUN.
std::vector<std::string> run_environment(const StressConfig& config, int threads, int repeat);

}  // namespace raceaudit::stress
