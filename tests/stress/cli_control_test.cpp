// The control run: a reproducer that fails with one thread is broken, not a race.

#include <gtest/gtest.h>

#include "cli_test_support.h"

namespace raceaudit::stress::testing {
namespace {

using nlohmann::json;

constexpr int kBroken = 3;

std::vector<std::string> args_for(const std::string& name, const std::vector<std::string>& extra) {
    std::vector<std::string> args = {"stress", script(name), "--repeat", "2", "--jobs", "2", "--timeout", "30"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

TEST(Control, ScriptThatFailsWithOneThreadIsBroken) {
    const json doc = run_json(args_for("broken_without_threads.py", {"--threads", "4"}), kBroken);
    EXPECT_EQ(doc["summary"]["status"], "broken") << doc.dump(2);
    EXPECT_EQ(doc["summary"]["reproducer_broken"], true);
    EXPECT_EQ(doc["summary"]["race_confirmed"], false);
    EXPECT_EQ(doc["summary"]["completed_runs"], 0);  // threaded runs skipped
    const json& control = doc["control"];
    EXPECT_EQ(control["mode"], "single");
    EXPECT_EQ(control["threaded_runs_skipped"], true);
    ASSERT_EQ(control["runs"].size(), 1u);
    const json& run = control["runs"][0];
    EXPECT_EQ(run["threads"], 1);
    EXPECT_EQ(run["outcome"], "exception");
    EXPECT_EQ(run["failure"]["exception_type"], "PermissionError");
    EXPECT_EQ(run["failure"]["location"]["line"], line_of(script("broken_without_threads.py"), "# <- raises"));
    EXPECT_NE(run["failure"]["traceback"].get<std::string>().find("Traceback"), std::string::npos);
}

TEST(Control, RaceThatNeedsThreadsIsStillConfirmed) {
    const json doc = run_json(args_for("race_only_with_threads.py", {"--threads", "4"}), 1);
    EXPECT_EQ(doc["summary"]["status"], "race-confirmed") << doc.dump(2);
    EXPECT_EQ(doc["summary"]["reproducer_broken"], false);
    ASSERT_EQ(doc["control"]["runs"].size(), 1u);
    EXPECT_EQ(doc["control"]["runs"][0]["outcome"], "ok");
    EXPECT_EQ(doc["control"]["runs"][0]["failure"], nullptr);
    EXPECT_EQ(doc["control"]["failed"], false);
    EXPECT_EQ(doc["cells"][0]["failures"][0]["exception_type"], "AssertionError");
}

TEST(Control, NoControlCountsEveryFailureAsBefore) {
    const json doc = run_json(args_for("broken_without_threads.py", {"--threads", "4", "--no-control"}), 1);
    EXPECT_EQ(doc["summary"]["status"], "race-confirmed") << doc.dump(2);
    EXPECT_EQ(doc["summary"]["failed_runs"], 2);
    EXPECT_EQ(doc["control"]["mode"], "none");
    EXPECT_TRUE(doc["control"]["runs"].empty());
    EXPECT_EQ(run_json(args_for("broken_without_threads.py", {"--control", "none"}), 1)["summary"]["failed_runs"],
              2);
}

TEST(Control, GilModeOnAnInterpreterWithTheGilIsTheSingleThreadControl) {
    const json doc = run_json(args_for("broken_without_threads.py", {"--control", "gil"}), kBroken);
    EXPECT_EQ(doc["control"]["mode"], "gil") << doc.dump(2);
    ASSERT_EQ(doc["control"]["runs"].size(), 1u);
    const bool free_threaded = doc["interpreters"][0]["free_threaded_build"];
    EXPECT_EQ(doc["control"]["runs"][0]["gil_forced"], free_threaded);
    EXPECT_EQ(doc["control"]["runs"][0]["failure"]["exception_type"], "PermissionError");
}

TEST(Control, WorkloadThatFailsWithOneThreadIsBroken) {
    const json doc = run_json({"stress", "--path", script("workload"), "--repeat", "2", "--setup",
                               "stress_workload:setup", "--call", "stress_workload:worker_raises"},
                              kBroken);
    ASSERT_EQ(doc["control"]["runs"].size(), 1u) << doc.dump(2);
    const json& run = doc["control"]["runs"][0];
    EXPECT_EQ(run["failure"]["exception_type"], "KeyError") << doc.dump(2);
    EXPECT_EQ(run["failure"]["phase"], "worker");
    EXPECT_EQ(doc["summary"]["completed_runs"], 0);
}

TEST(Control, WorkloadRaceIsConfirmedAfterACleanControl) {
    const json doc = run_json({"stress", "--path", script("workload"), "--repeat", "2", "--threads", "4", "--setup",
                               "stress_workload:setup_made", "--call", "stress_workload:worker_check_then_act",
                               "--check", "stress_workload:check_made_once"},
                              1);
    ASSERT_EQ(doc["control"]["runs"].size(), 1u) << doc.dump(2);
    EXPECT_EQ(doc["control"]["runs"][0]["outcome"], "ok");
    EXPECT_EQ(doc["cells"][0]["counts"]["wrong-result"], 2);
}

TEST(Control, TextAndMarkdownSayBrokenWithTheException) {
    for (const std::string format : {"text", "markdown"}) {
        const CliResult r = run_raceaudit(args_for("broken_without_threads.py", {"--format", format}));
        EXPECT_EQ(r.exit_code, kBroken) << r.err;
        for (const char* text : {"control run, 1 thread, python3",
                                 "exception PermissionError: [Errno 13] Permission denied",
                                 "broken_without_threads.py:", "reproducer broken, not a race",
                                 "the 2 threaded runs were skipped"}) {
            EXPECT_NE(r.out.find(text), std::string::npos) << format << ": " << text << " not in\n" << r.out;
        }
        EXPECT_EQ(r.out.find("race confirmed"), std::string::npos) << r.out;
    }
}

TEST(Control, UnknownModeIsAUsageError) {
    const CliResult r = run_raceaudit({"stress", script("exit_ok.py"), "--control", "twice"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "raceaudit: error: --control: unknown mode 'twice' (expected single, gil or none)\n");
}

}  // namespace
}  // namespace raceaudit::stress::testing
