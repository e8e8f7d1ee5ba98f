// SIGINT/SIGTERM sent to raceaudit: every child's process group is killed,
// the table of what finished is printed, exit status 130.

#include <chrono>
#include <csignal>
#include <thread>

#include <gtest/gtest.h>

#include "cli_test_support.h"

namespace raceaudit::stress::testing {
namespace {

std::string signal_label(int sig) {
    switch (sig) {
        case SIGINT: return "SIGINT";
        case SIGTERM: return "SIGTERM";
        case SIGHUP: return "SIGHUP";
        default: return "SIGQUIT";
    }
}

class Interrupt : public ::testing::TestWithParam<int> {};

TEST_P(Interrupt, KillsAllGroupsAndReportsWhatFinished) {
    const std::string pid_file = temp_dir() + "/pids";
    const CliProcess p = start_raceaudit({"stress", script("hang_with_grandchild.py"), "--repeat", "4", "--no-control",
                                          "--jobs", "2", "--timeout", "60", "--", pid_file});
    // Wait until both parallel runs have started their grandchildren.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (read_pids(pid_file).size() < 4 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_EQ(read_pids(pid_file).size(), 4u);
    ASSERT_EQ(::kill(p.pid, GetParam()), 0);
    const CliResult r = wait_raceaudit(p);
    EXPECT_EQ(r.exit_code, 130) << r.err;
    EXPECT_NE(r.out.find("interpreter  version"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("interrupted by " + signal_label(GetParam()) + " after 0 of 4 runs"), std::string::npos)
        << r.out;
    for (pid_t pid : read_pids(pid_file)) EXPECT_TRUE(process_gone(pid)) << "pid " << pid << " survived";
}

// SIGHUP and SIGQUIT are handled like SIGINT and SIGTERM (issue 16 item 13).
INSTANTIATE_TEST_SUITE_P(Signals, Interrupt, ::testing::Values(SIGINT, SIGTERM, SIGHUP, SIGQUIT),
                         [](const ::testing::TestParamInfo<int>& info) { return signal_label(info.param); });

}  // namespace
}  // namespace raceaudit::stress::testing
