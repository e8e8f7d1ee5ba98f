// Workload mode (--call/--setup/--check), end to end, under python3 and pypy3.

#include <gtest/gtest.h>

#include "cli_test_support.h"

namespace raceaudit::stress::testing {
namespace {

using nlohmann::json;

const std::string kModule = "stress_workload";

class Workload : public ::testing::TestWithParam<std::string> {
protected:
    json stress(const std::vector<std::string>& extra, int expected_exit) {
        std::vector<std::string> args = {"stress", "--path", script("workload"), "--python", GetParam(),
                                         "--repeat", "2", "--jobs", "2", "--timeout", "30", "--no-control"};
        args.insert(args.end(), extra.begin(), extra.end());
        return run_json(args, expected_exit);
    }
    static std::string fn(const std::string& name) { return kModule + ":" + name; }
};

TEST_P(Workload, CheckViolationsAreAWrongResult) {
    const json doc = stress({"--setup", fn("setup"), "--call", fn("worker"), "--check", fn("check_violation"),
                             "--threads", "4"},
                            1);
    const json& cell = doc["cells"][0];
    EXPECT_EQ(cell["counts"]["wrong-result"], 2) << doc.dump(2);
    const json& f = cell["failures"][0];
    EXPECT_EQ(f["kind"], "wrong-result");
    EXPECT_EQ(f["violation_count"], 2);
    EXPECT_EQ(f["violations"][0], "duplicate inode 7 (4 workers ran)");
    EXPECT_EQ(doc["mode"], "workload");
}

TEST_P(Workload, WorkerExceptionIsReportedWithItsLocation) {
    const json doc = stress({"--setup", fn("setup"), "--call", fn("worker_raises"), "--threads", "4"}, 1);
    const json& f = doc["cells"][0]["failures"][0];
    EXPECT_EQ(f["kind"], "exception") << doc.dump(2);
    EXPECT_EQ(f["exception_type"], "KeyError");
    EXPECT_EQ(f["phase"], "worker");
    EXPECT_EQ(f["threads_raised"], 4);
    EXPECT_EQ(base_name(f["location"]["file"]), "stress_workload.py");
    EXPECT_EQ(f["location"]["line"], line_of(script("workload/stress_workload.py"), "# <- raises"));
    EXPECT_EQ(f["location"]["function"], "worker_raises");
}

TEST_P(Workload, ExceptionInCheck) {
    const json doc = stress({"--setup", fn("setup"), "--call", fn("worker"), "--check", fn("check_raises")}, 1);
    const json& f = doc["cells"][0]["failures"][0];
    EXPECT_EQ(f["exception_type"], "ValueError");
    EXPECT_EQ(f["phase"], "check");
}

TEST_P(Workload, CleanWorkloadOverSeveralRounds) {
    const json doc = stress({"--setup", fn("setup"), "--call", fn("worker"), "--check", fn("check_ok"), "--rounds",
                             "3", "--threads", "8"},
                            0);
    EXPECT_EQ(doc["cells"][0]["counts"]["ok"], 2);
}

TEST_P(Workload, ThreadSweepRunsThatManyWorkers) {
    // check_thread_count compares the workers that ran with RACEAUDIT_THREADS.
    const json doc = stress({"--setup", fn("setup"), "--call", fn("worker_records_threads"), "--check",
                             fn("check_thread_count"), "--threads", "3,7"},
                            0);
    ASSERT_EQ(doc["cells"].size(), 2u);
    EXPECT_EQ(doc["cells"][0]["threads"], 3);
    EXPECT_EQ(doc["cells"][1]["threads"], 7);
    EXPECT_EQ(doc["summary"]["failed_runs"], 0);
}

TEST_P(Workload, WorkerWithoutSetupTakesNoArguments) {
    const json doc = stress({"--call", fn("worker_without_state")}, 0);
    EXPECT_EQ(doc["cells"][0]["counts"]["ok"], 2);
    EXPECT_EQ(doc["cells"][0]["threads"], 8);  // the default
}

INSTANTIATE_TEST_SUITE_P(Interpreters, Workload, ::testing::ValuesIn(test_interpreters()),
                         interpreter_test_name);

TEST(WorkloadDriver, RunsOnTheOldestSupportedCPython) {
    // The driver must stay valid Python 3.6; use the oldest 3.6/3.7 found.
    const CliResult list = run_raceaudit({"stress", "--list-pythons", "--format", "json"});
    ASSERT_EQ(list.exit_code, 0) << list.err;
    const json found = json::parse(list.out);
    std::string old_python;
    for (const auto& i : found["interpreters"]) {
        const std::string v = i["version"];
        if (i["implementation"] == "cpython" && (v.rfind("3.6.", 0) == 0 || v.rfind("3.7.", 0) == 0)) {
            old_python = i["executable"];
            break;
        }
    }
    if (old_python.empty()) GTEST_SKIP() << "no CPython 3.6 or 3.7 on this machine";
    const json doc = run_json({"stress", "--path", script("workload"), "--python", old_python, "--repeat", "1",
                               "--no-control", "--setup", "stress_workload:setup", "--call",
                               "stress_workload:worker_raises", "--threads", "3"},
                              1);
    const json& f = doc["cells"][0]["failures"][0];
    EXPECT_EQ(f["exception_type"], "KeyError") << doc.dump(2);
    EXPECT_EQ(f["threads_raised"], 3);
}

}  // namespace
}  // namespace raceaudit::stress::testing
