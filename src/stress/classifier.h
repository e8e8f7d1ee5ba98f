#pragma once
// Turns what the process pool observed about one run (exit status, signal,
// timeout, captured stderr) plus the workload driver's result file, if any,
// into an Outcome.

#include <optional>

#include "stress/driver_result.h"
#include "stress/outcome.h"
#include "stress/process_pool.h"

namespace raceaudit::stress {

// `driver` is the parsed result file of a workload-mode run (std::nullopt in
// script mode, or when the run died before writing it). `timeout_s` is only
// used to describe hangs. `stdlib_dirs` (the interpreter's) serve to fill
// Outcome::via. `expects_driver_result` (workload mode): a run that ended
// without a result file and without a traceback explaining it is a
// no_result, not ok.
Outcome classify(const ProcessResult& result, const std::optional<DriverResult>& driver, double timeout_s,
                 const std::vector<std::string>& stdlib_dirs = {}, bool expects_driver_result = false);

}  // namespace raceaudit::stress
