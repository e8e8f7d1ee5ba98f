#pragma once
// One `raceaudit stress` invocation from validated options to exit status:
// resolve interpreters, check that a workload can be loaded, run everything,
// classify each run, write the report.

#include <ostream>

#include "stress/options.h"

namespace raceaudit::stress {

// Writes the report to `out` (or to config.output_file) and diagnostics,
// each on one line starting with "raceaudit: error: ", to `err`. Returns the
// exit status: 0 all runs clean, 1 some run failed, 2 usage or setup error,
// 130 interrupted by SIGINT/SIGTERM (after writing what finished).
int run_session(const StressConfig& config, std::ostream& out, std::ostream& err);

}  // namespace raceaudit::stress
