#pragma once
// The options of `raceaudit stress`: as typed on the command line (strings,
// bound to CLI11), and validated into a StressConfig.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace raceaudit::stress {

enum class ReportFormat { text, json, markdown };

// The control run before the threaded runs: one thread per interpreter
// (single), the same with PYTHON_GIL=1 on a free-threaded build (gil), or none.
enum class ControlMode { none, single, gil };

// Bound directly to the CLI11 options. Numbers are kept as text and parsed
// by validate(), so that every usage error gets the same one-line message
// and exit status 2 whatever the caller does with CLI11's own errors.
struct RawOptions {
    std::string script;
    std::vector<std::string> script_args;
    std::string call;
    std::string setup;
    std::string check;
    std::vector<std::string> pythons;
    std::vector<std::string> paths;
    std::string repeat = "20";
    std::string threads;  // "2,8,32"; empty: not given
    std::string rounds = "1";
    std::string switch_interval = "1e-6";
    std::string timeout = "60";
    std::string kill_grace = "2";
    std::string jobs;  // empty: number of cores
    std::string format = "text";
    std::string output_file;
    bool show_output = false;
    bool list_pythons = false;
    bool no_faulthandler = false;
    std::string control = "single";
    bool no_control = false;
};

struct StressConfig {
    enum class Mode { script, workload, list_pythons };
    Mode mode = Mode::script;
    std::string script;  // as given (relative paths stay relative: runs share our cwd)
    std::vector<std::string> script_args;
    std::string call;
    std::string setup;
    std::string check;
    std::vector<std::string> pythons;  // default {"python3"}
    std::vector<std::string> paths;    // absolute
    int repeat = 20;
    std::vector<int> threads;          // empty in script mode without --threads
    int rounds = 1;
    double switch_interval = 1e-6;
    double timeout = 60.0;
    double kill_grace = 2.0;
    int jobs = 1;
    ReportFormat format = ReportFormat::text;
    std::string output_file;
    bool show_output = false;
    bool faulthandler = true;
    ControlMode control = ControlMode::single;
};

struct ValidationResult {
    std::optional<StressConfig> config;
    std::string error;  // one line, without the "raceaudit: error: " prefix
};

// Checks and converts the options. Script existence and --path directories
// are checked here; interpreters are resolved later.
ValidationResult validate(const RawOptions& raw);

// "2,8,32" -> {2, 8, 32}; std::nullopt on anything else (empty items,
// non-numbers, values outside 1..max_threads).
std::optional<std::vector<int>> parse_thread_list(const std::string& text, int max_threads = 4096);

// "single", "gil", "none": the --control spellings.
std::string_view control_mode_name(ControlMode mode);

inline constexpr int kDefaultWorkloadThreads = 8;
// Runs in one session at most (--repeat x thread counts x interpreters);
// more is refused up front.
inline constexpr std::size_t kMaxPlannedRuns = 1000000;

}  // namespace raceaudit::stress
