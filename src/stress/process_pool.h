#pragma once
// Runs many child processes, at most `jobs` at a time, from one thread with a
// poll() loop: captures their output (bounded), enforces a per-process
// timeout (SIGTERM to the whole process group, SIGKILL after a grace period),
// kills what is left of a process group when its leader exits, reaps
// re-parented grandchildren, kills at the end every descendant re-parented to
// raceaudit (one that left its process group with setsid or setpgid), and
// stops early, killing every running group, when SIGINT, SIGTERM, SIGHUP or
// SIGQUIT arrives (see SignalGuard).

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "stress/capture_buffer.h"
#include "stress/process.h"

namespace raceaudit::stress {

class SignalGuard;

struct ProcessSpec {
    SpawnRequest request;
    double timeout_s = 60.0;
    double kill_grace_s = 2.0;
    std::size_t capture_limit = CaptureBuffer::kDefaultLimit;
};

struct ProcessResult {
    bool started = false;
    std::string spawn_error;   // when !started
    bool exited = false;       // normal exit, exit_code valid
    int exit_code = 0;
    bool signaled = false;     // killed by term_signal
    int term_signal = 0;
    bool timed_out = false;    // ran past its timeout and was killed
    bool interrupted = false;  // killed because raceaudit itself was interrupted
    double duration_s = 0.0;   // start to exit of the process group leader
    CaptureBuffer out;
    CaptureBuffer err;
};

struct PoolSummary {
    int interrupt_signal = 0;  // SIGINT/SIGTERM/SIGHUP/SIGQUIT that stopped the pool, or 0
    bool start_failed = false; // with stop_after_start_failure: a process could not start
    std::size_t finished = 0;  // results delivered with interrupted == false
};

using FinishCallback = std::function<void(std::size_t, ProcessResult&&)>;
// Produces the spec of run `index` when it is about to start, so that a long
// session does not hold every command line and environment at once.
using SpecSource = std::function<ProcessSpec(std::size_t)>;

// Starts `count` processes, the spec of each taken from spec_at(index) just
// before it starts, and calls on_finish(index, result) once for every process
// that was started (or failed to start), in completion order; those still
// running when SIGINT/SIGTERM arrives are killed and reported with
// interrupted = true, those not started get no call. With
// stop_after_start_failure, the first process that cannot be started (its
// call has started = false) ends the session: no further process is started,
// those running finish normally. Runs on the calling thread.
PoolSummary run_processes(std::size_t count, const SpecSource& spec_at, int jobs, const SignalGuard& signals,
                          const FinishCallback& on_finish, bool stop_after_start_failure = false);

// The same for a list of specs.
PoolSummary run_processes(const std::vector<ProcessSpec>& specs, int jobs, const SignalGuard& signals,
                          const FinishCallback& on_finish);

}  // namespace raceaudit::stress
