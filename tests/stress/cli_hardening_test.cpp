// Hostile conditions for `raceaudit stress` (issue 16): report write failures,
// huge timeouts, runs that cannot start, runs without a driver result,
// descendants that leave their process group, absurd plans. SIGHUP and
// SIGQUIT are tested with the other signals in cli_signal_test.cpp.

#include <algorithm>
#include <chrono>
#include <csignal>
#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "cli_test_support.h"

namespace raceaudit::stress::testing {
namespace {

std::string read_all(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void expect_one_error_line(const CliResult& r, const std::string& expected_text) {
    EXPECT_EQ(r.err.rfind("raceaudit: error: ", 0), 0u) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line expected: " << r.err;
    EXPECT_NE(r.err.find(expected_text), std::string::npos) << r.err;
}

// Gone, or a zombie waiting for an init that may never reap it.
bool dead(pid_t pid) {
    if (process_gone(pid)) return true;
    const std::string stat = read_all("/proc/" + std::to_string(pid) + "/stat");
    const auto paren = stat.rfind(')');
    return paren != std::string::npos && stat.compare(paren, 4, ") Z ") == 0;
}

// Waits until every pid is dead.
bool all_gone(const std::vector<pid_t>& pids, std::chrono::milliseconds within) {
    const auto deadline = std::chrono::steady_clock::now() + within;
    while (true) {
        if (std::all_of(pids.begin(), pids.end(), dead)) return true;
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

void kill_all(const std::vector<pid_t>& pids) {
    for (pid_t pid : pids) ::kill(pid, SIGKILL);
}

TEST(ReportOutput, FullStdoutIsAnError) {
    const CliResult r = run_raceaudit_with_stdout("/dev/full", {"stress", script("exit_ok.py"), "--repeat", "1"});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    expect_one_error_line(r, "cannot write the report");
}

TEST(ReportOutput, FullOutputFileIsAnError) {
    const CliResult r = run_raceaudit({"stress", script("exit_ok.py"), "--repeat", "1", "-o", "/dev/full"});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    expect_one_error_line(r, "cannot write the report to /dev/full");
}

TEST(ReportOutput, OutputFileIsKeptOnUsageError) {
    const std::string file = temp_dir() + "/report.txt";
    std::ofstream(file) << "previous report\n";
    const CliResult r = run_raceaudit(
        {"stress", script("exit_ok.py"), "--python", "no-such-python-raceaudit", "-o", file});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    expect_one_error_line(r, "interpreter not found");
    EXPECT_EQ(read_all(file), "previous report\n");
}

TEST(ReportOutput, UnwritableOutputFileIsRefusedBeforeRunning) {
    const CliResult r =
        run_raceaudit({"stress", script("exit_ok.py"), "--repeat", "1", "-o", "/nonexistent-dir/report.txt"});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    expect_one_error_line(r, "cannot write /nonexistent-dir/report.txt");
}

// Issue 16 item 3: a script path and an exception message with terminal
// escapes (OSC title, colour) are printed escaped, never raw.
TEST(ReportOutput, ControlCharactersAreEscaped) {
    const std::string file = temp_dir() + "/evil\x1b[31m.py";
    std::ofstream(file) << "raise ValueError('\\x1b]0;pwned\\x07 and\\nmore')\n";
    // The script fails with one thread too: the control run reports it, traceback included.
    const CliResult r = run_raceaudit({"stress", file, "--repeat", "1"});
    EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
    EXPECT_EQ(r.out.find('\x1b'), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find('\x07'), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("evil\\e[31m.py"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("ValueError"), std::string::npos) << r.out;
}

TEST(Timeouts, HugeTimeoutIsNotAHang) {
    const CliResult r = run_raceaudit(
        {"stress", script("exit_ok.py"), "--repeat", "2", "--timeout", "1e10", "--kill-grace", "1e10"});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("no failure in 2 runs."), std::string::npos) << r.out;
}

TEST(StartFailure, RunThatCannotStartIsAToolError) {
    // Enough descriptors to probe the interpreter and start a run or two,
    // not enough for eight runs at once.
    const CliResult r =
        run_raceaudit_with_fd_limit(16, {"stress", script("exit_ok.py"), "--repeat", "8", "--jobs", "8"});
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    expect_one_error_line(r, "could not be started: ");
    EXPECT_NE(r.err.find("Too many open files"), std::string::npos) << r.err;  // pipe, or the exec
    EXPECT_EQ(r.out.find("race confirmed"), std::string::npos) << r.out;
}

TEST(Workload, WorkerThatEndsTheProcessHasNoResult) {
    for (const std::string& python : test_interpreters()) {
        const nlohmann::json doc = run_json(
            {"stress", "--path", script("workload"), "--python", python, "--repeat", "2", "--no-control", "--setup",
             "stress_workload:setup", "--call", "stress_workload:worker_exits", "--check", "stress_workload:check_ok"},
            1);
        const nlohmann::json& cell = doc["cells"][0];
        EXPECT_EQ(cell["counts"]["no-result"], 2) << python << ": " << doc.dump(2);
        EXPECT_EQ(cell["counts"]["ok"], 0) << python;
        ASSERT_EQ(cell["failures"].size(), 1u) << python;
        EXPECT_EQ(cell["failures"][0]["kind"], "no-result") << python;
    }
}

TEST(ParentDeath, RunsDieWithRaceaudit) {
    const std::string pid_file = temp_dir() + "/pids";
    const CliProcess p = start_raceaudit({"stress", script("hang_with_grandchild.py"), "--repeat", "2", "--no-control",
                                          "--jobs", "2", "--timeout", "60", "--", pid_file});
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (read_pids(pid_file).size() < 4 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    const auto pids = read_pids(pid_file);
    ASSERT_EQ(pids.size(), 4u);
    ASSERT_EQ(::kill(p.pid, SIGKILL), 0);
    wait_raceaudit(p);
    // Each run writes its own pid, then its grandchild's: the runs are the
    // children of raceaudit and get the parent-death signal.
    EXPECT_TRUE(all_gone({pids[0], pids[2]}, std::chrono::seconds(5)));
    kill_all(pids);
}

class LeftTheGroup : public ::testing::TestWithParam<std::string> {};

TEST_P(LeftTheGroup, DescendantIsKilledAtTheEnd) {
    const std::string pid_file = temp_dir() + "/pids";
    const CliResult r =
        run_raceaudit({"stress", script("leave_group_grandchild.py"), "--repeat", "2", "--no-control", "--", pid_file,
                       GetParam()});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    const auto pids = read_pids(pid_file);
    ASSERT_EQ(pids.size(), 2u);
    EXPECT_TRUE(all_gone(pids, std::chrono::seconds(2))) << "a grandchild that left its group survived";
    kill_all(pids);
}

INSTANTIATE_TEST_SUITE_P(Ways, LeftTheGroup, ::testing::Values("setsid", "setpgid"));

TEST(Plan, AbsurdPlanIsRefusedUpFront) {
    const CliResult r = run_raceaudit({"stress", script("exit_ok.py"), "--repeat", "1000000", "--threads", "1,2"});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    expect_one_error_line(r, "2000000 runs");
    EXPECT_EQ(r.out, "");
}

}  // namespace
}  // namespace raceaudit::stress::testing
