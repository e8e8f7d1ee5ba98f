#pragma once
// The control run: the reproducer once per interpreter with one thread,
// before the threaded runs. A reproducer that fails here is broken, not racy.

#include <string>
#include <vector>

#include "stress/interpreter.h"
#include "stress/options.h"
#include "stress/report.h"
#include "stress/signal_guard.h"
#include "stress/temp_dir.h"

namespace raceaudit::stress {

struct ControlResults {
    std::vector<ControlRun> runs;  // those that finished, in interpreter order
    std::string start_error;       // a control that could not be started (a tool error)
    bool interrupted = false;
};

// Runs the control of every interpreter (config.control must not be none).
// `driver_path` is used in workload mode only.
ControlResults run_controls(const StressConfig& config, const std::vector<Interpreter>& interpreters,
                            const std::string& driver_path, const TempDir& tmp, const SignalGuard& signals);

}  // namespace raceaudit::stress
