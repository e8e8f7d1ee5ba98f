#pragma once
// The results of a stress session, aggregated per cell (interpreter x thread
// count) and per distinct failure, ready for the report writers.

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "stress/interpreter.h"
#include "stress/options.h"
#include "stress/outcome.h"
#include "stress/process_pool.h"
#include "stress/run_plan.h"

namespace raceaudit::stress {

inline constexpr std::size_t kOutcomeKindCount = std::size(kAllOutcomeKinds);

struct SessionInfo {
    StressConfig::Mode mode = StressConfig::Mode::script;
    std::string target;  // the script, or the --call spec
    std::vector<std::string> script_args;
    std::string setup;
    std::string check;
    int repeat = 0;
    int rounds = 1;
    std::vector<int> threads;  // {0} when unset
    double switch_interval = 0.0;
    double timeout = 0.0;
    int jobs = 1;
    ControlMode control = ControlMode::single;
};

// The single-threaded run made under one interpreter before the threaded runs.
struct ControlRun {
    std::size_t interpreter = 0;
    bool gil_forced = false;      // PYTHON_GIL=1 was set
    Outcome outcome;
    bool exited = false;
    int exit_code = 0;
    double duration_s = 0.0;
    std::string stdout_text;      // captured output (bounded)
    std::string stderr_text;
};

// Whether a control run failed (one that could not start is a tool error, not a failure).
bool any_control_failed(const std::vector<ControlRun>& controls);

struct RunRecord {
    std::size_t run = 0;          // index in the plan
    std::size_t interpreter = 0;
    int threads = 0;
    int repeat = 0;
    OutcomeKind kind = OutcomeKind::ok;
    std::size_t failure = 0;      // index into its cell's failures (when kind != ok)
    bool exited = false;
    int exit_code = 0;
    int signal = 0;
    double duration_s = 0.0;
    std::uint64_t stdout_bytes = 0;
    std::uint64_t stderr_bytes = 0;
};

struct FailureGroup {
    Outcome first;                // the outcome of the earliest run (by plan order)
    std::size_t first_run = 0;
    int first_repeat = 0;
    std::size_t count = 0;
    std::string first_stdout;     // captured output of that run (bounded)
    std::string first_stderr;
};

struct Cell {
    std::size_t interpreter = 0;
    int threads = 0;
    std::size_t runs = 0;
    std::array<std::size_t, kOutcomeKindCount> counts{};
    std::vector<FailureGroup> failures;  // most frequent first

    std::size_t count(OutcomeKind kind) const { return counts[static_cast<std::size_t>(kind)]; }
    // Runs that failed; those that could not start are not among them.
    std::size_t failed() const { return runs - count(OutcomeKind::ok) - not_started(); }
    std::size_t not_started() const { return count(OutcomeKind::error); }
};

struct Report {
    SessionInfo info;
    std::vector<Interpreter> interpreters;
    std::vector<Cell> cells;       // interpreter-major, then thread count
    std::vector<RunRecord> runs;   // completed runs, in plan order
    std::size_t planned_runs = 0;
    int interrupt_signal = 0;      // SIGINT/SIGTERM that cut the session short
    std::vector<ControlRun> controls;  // one per interpreter, empty with --no-control

    std::size_t completed_runs() const { return runs.size(); }
    std::size_t failed_runs() const;
    std::size_t not_started_runs() const;
    std::size_t distinct_failures() const;
    bool race_confirmed() const { return failed_runs() > 0; }
    // A control run failed: the reproducer fails without threads, so the
    // threaded runs were skipped and nothing is confirmed.
    bool reproducer_broken() const;
    // "clean", "race-confirmed", "broken", "error" or "interrupted", as exit_status() decides.
    std::string_view status() const;
};

class ReportBuilder {
public:
    ReportBuilder(SessionInfo info, std::vector<Interpreter> interpreters, std::size_t planned_runs);

    // Adds one finished (not interrupted) run.
    void add(std::size_t run_index, const PlannedRun& run, const ProcessResult& result, Outcome outcome);
    void set_interrupted(int signal) { report_.interrupt_signal = signal; }
    Report finish();

private:
    Cell& cell_for(std::size_t interpreter, int threads);

    Report report_;
    std::vector<std::map<std::string, std::size_t>> group_index_;  // per cell: key -> failures index
};

inline constexpr int kExitReproducerBroken = 3;

// Exit status of `raceaudit stress` for a finished report: 130 when
// interrupted, 2 when a run could not be started (a tool error), 3 when a
// control run failed (the reproducer is broken), 1 when any run failed, else 0.
int exit_status(const Report& report);

}  // namespace raceaudit::stress
