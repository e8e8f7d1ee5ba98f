#pragma once
// Running the raceaudit binary from end-to-end tests.

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace raceaudit::stress::testing {

struct CliResult {
    int exit_code = -1;    // -1 when killed by a signal
    int signal = 0;
    std::string out;
    std::string err;
    long max_rss_kib = 0;  // peak RSS of raceaudit and the children it waited for
};

// A raceaudit process started in the background.
struct CliProcess {
    pid_t pid = -1;
    std::string out_file;
    std::string err_file;
};

// Path of a test script: STRESS_TEST_SCRIPTS/name.
std::string script(const std::string& name);

// Runs `raceaudit args...` to completion, stdout and stderr captured.
CliResult run_raceaudit(const std::vector<std::string>& args);

CliProcess start_raceaudit(const std::vector<std::string>& args);
// Runs raceaudit with stdout going to `stdout_path` (e.g. /dev/full); out stays empty.
CliResult run_raceaudit_with_stdout(const std::string& stdout_path, const std::vector<std::string>& args);
// Runs raceaudit with at most `max_fds` open descriptors (ulimit -n).
CliResult run_raceaudit_with_fd_limit(int max_fds, const std::vector<std::string>& args);
CliResult wait_raceaudit(const CliProcess& process);

// Runs with --format json and parses stdout (fails the test if not JSON).
nlohmann::json run_json(const std::vector<std::string>& args, int expected_exit_code);

// The 1-based number of the first line of `file` that contains `marker`.
int line_of(const std::string& file, const std::string& marker);

// The file name part of a path.
std::string base_name(const std::string& path);

// Whether the process is gone (not even a zombie).
bool process_gone(pid_t pid);

// pids, one per line, from a file written by a test script.
std::vector<pid_t> read_pids(const std::string& file);

// A fresh, empty temporary directory, removed at exit.
std::string temp_dir();

// The free-threaded CPython that scripts/setup-free-threaded.sh builds into
// the raceaudit cache (src/stress/cache_dir.h), whether it is there, and the
// message a test that needs it skips with when it is not.
std::string free_threaded_python();
bool have_free_threaded_python();
std::string free_threaded_skip_message();

// The interpreters every outcome test runs under: python3, pypy3 and, when
// it is there, free_threaded_python().
std::vector<std::string> test_interpreters();

// A gtest name for a test_interpreters() parameter: "python3", "python3_13t".
std::string interpreter_test_name(const ::testing::TestParamInfo<std::string>& info);

}  // namespace raceaudit::stress::testing
