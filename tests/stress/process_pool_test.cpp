// The process pool on plain /bin/sh children: no Python needed.

#include "stress/process_pool.h"

#include <chrono>
#include <csignal>
#include <fstream>
#include <map>
#include <thread>

#include <gtest/gtest.h>

#include "stress/signal_guard.h"
#include "stress/temp_dir.h"

namespace raceaudit::stress {
namespace {

ProcessSpec shell(const std::string& script, double timeout = 10.0, double grace = 1.0) {
    ProcessSpec spec;
    spec.request.argv = {"/bin/sh", "-c", script};
    spec.request.env = current_environment();
    spec.timeout_s = timeout;
    spec.kill_grace_s = grace;
    return spec;
}

std::map<std::size_t, ProcessResult> run_all(const std::vector<ProcessSpec>& specs, int jobs,
                                             PoolSummary* summary = nullptr) {
    SignalGuard guard;
    std::map<std::size_t, ProcessResult> results;
    const PoolSummary s =
        run_processes(specs, jobs, guard, [&](std::size_t i, ProcessResult&& r) { results.emplace(i, std::move(r)); });
    if (summary != nullptr) *summary = s;
    return results;
}

bool process_gone(pid_t pid) { return ::kill(pid, 0) != 0 && errno == ESRCH; }

TEST(ProcessPool, ExitStatusesSignalsAndOutput) {
    auto results = run_all({shell("echo out; echo err >&2; exit 0"), shell("exit 7"), shell("kill -SEGV $$"),
                            shell("kill -ABRT $$")},
                           2);
    ASSERT_EQ(results.size(), 4u);
    EXPECT_TRUE(results[0].exited);
    EXPECT_EQ(results[0].exit_code, 0);
    EXPECT_EQ(results[0].out.text(), "out\n");
    EXPECT_EQ(results[0].err.text(), "err\n");
    EXPECT_EQ(results[1].exit_code, 7);
    EXPECT_TRUE(results[2].signaled);
    EXPECT_EQ(results[2].term_signal, SIGSEGV);
    EXPECT_EQ(results[3].term_signal, SIGABRT);
    for (auto& [i, r] : results) EXPECT_FALSE(r.timed_out) << i;
}

TEST(ProcessPool, StdinIsEmpty) {
    auto results = run_all({shell("cat; echo done")}, 1);
    EXPECT_EQ(results[0].out.text(), "done\n");
}

TEST(ProcessPool, SpawnFailureIsReported) {
    ProcessSpec spec;
    spec.request.argv = {"/nonexistent/raceaudit-test-binary"};
    auto results = run_all({spec}, 1);
    ASSERT_EQ(results.size(), 1u);
    EXPECT_FALSE(results[0].started);
    EXPECT_NE(results[0].spawn_error.find("/nonexistent/raceaudit-test-binary"), std::string::npos);
}

TEST(ProcessPool, TimeoutKillsTheWholeGroupIncludingAStubbornGrandchild) {
    TempDir tmp;
    const std::string pid_file = tmp.file("grandchild.pid");
    // The grandchild ignores SIGTERM: only the SIGKILL after the grace period ends it.
    const auto start = std::chrono::steady_clock::now();
    auto results = run_all({shell("sh -c 'trap \"\" TERM; echo $$ > " + pid_file +
                                      "; while :; do sleep 1; done' & wait",
                                  /*timeout=*/0.5, /*grace=*/0.3)},
                           1);
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ASSERT_EQ(results.size(), 1u);
    EXPECT_TRUE(results[0].timed_out);
    EXPECT_LT(elapsed, 5.0);
    std::ifstream in(pid_file);
    pid_t grandchild = 0;
    ASSERT_TRUE(in >> grandchild);
    EXPECT_TRUE(process_gone(grandchild)) << "grandchild " << grandchild << " survived";
}

TEST(ProcessPool, LeftoversOfTheGroupAreKilledWhenTheLeaderExits) {
    TempDir tmp;
    const std::string pid_file = tmp.file("bg.pid");
    // The background process keeps stdout open; the run must still end.
    auto results = run_all({shell("sleep 600 & echo $! > " + pid_file + "; exit 0")}, 1);
    EXPECT_TRUE(results[0].exited);
    EXPECT_FALSE(results[0].timed_out);
    std::ifstream in(pid_file);
    pid_t bg = 0;
    ASSERT_TRUE(in >> bg);
    EXPECT_TRUE(process_gone(bg));
}

TEST(ProcessPool, HugeTimeoutDoesNotOverflowTheClock) {
    auto results = run_all({shell("sleep 1; exit 0", /*timeout=*/1e10, /*grace=*/1.0)}, 1);
    EXPECT_TRUE(results[0].exited);
    EXPECT_FALSE(results[0].timed_out);
}

TEST(ProcessPool, DescendantThatLeftTheGroupIsKilledAtTheEnd) {
    TempDir tmp;
    const std::string pid_file = tmp.file("setsid.pid");
    // setsid(1) puts sleep in a session of its own, out of reach of the group kill.
    auto results = run_all({shell("setsid sleep 600 & echo $! > " + pid_file + "; sleep 0.3; exit 0")}, 1);
    EXPECT_TRUE(results[0].exited);
    std::ifstream in(pid_file);
    pid_t bg = 0;
    ASSERT_TRUE(in >> bg);
    const bool gone = process_gone(bg);
    if (!gone) ::kill(bg, SIGKILL);
    EXPECT_TRUE(gone) << "pid " << bg << " survived";
}

TEST(ProcessPool, FloodIsBoundedAndDoesNotBlock) {
    // 50 MB through the pipe.
    auto results = run_all({shell("head -c 52428800 /dev/zero; echo; echo END")}, 1);
    const ProcessResult& r = results[0];
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.out.total_bytes(), 52428800u + 5u);
    EXPECT_LE(r.out.kept_bytes(), 2 * CaptureBuffer::kDefaultLimit);
    const std::string text = r.out.text();
    EXPECT_NE(text.find("bytes omitted by raceaudit"), std::string::npos);
    EXPECT_EQ(text.substr(text.size() - 4), "END\n");
}

TEST(ProcessPool, RunsAtMostJobsAtOnce) {
    TempDir tmp;
    const std::string log = tmp.file("log");
    std::vector<ProcessSpec> specs;
    for (int i = 0; i < 6; ++i) {
        specs.push_back(shell("echo start >> " + log + "; sleep 0.2; echo stop >> " + log));
    }
    auto results = run_all(specs, 2);
    EXPECT_EQ(results.size(), 6u);
    std::ifstream in(log);
    int running = 0;
    int peak = 0;
    for (std::string line; std::getline(in, line);) {
        running += line == "start" ? 1 : -1;
        peak = std::max(peak, running);
    }
    EXPECT_LE(peak, 2);
    EXPECT_GE(peak, 1);
}

TEST(ProcessPool, InterruptKillsEverythingAndStops) {
    SignalGuard guard;
    std::vector<ProcessSpec> specs;
    for (int i = 0; i < 4; ++i) specs.push_back(shell("sleep 600", 60));
    std::thread interrupter([] {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        ::kill(::getpid(), SIGINT);
    });
    std::size_t interrupted = 0;
    std::size_t finished = 0;
    const auto start = std::chrono::steady_clock::now();
    const PoolSummary summary = run_processes(specs, 2, guard, [&](std::size_t, ProcessResult&& r) {
        (r.interrupted ? interrupted : finished) += 1;
    });
    interrupter.join();
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_EQ(summary.interrupt_signal, SIGINT);
    EXPECT_EQ(interrupted, 2u);  // the two that were running
    EXPECT_EQ(finished, 0u);
    EXPECT_LT(elapsed, 10.0);
}

}  // namespace
}  // namespace raceaudit::stress
