#include "stress/run_plan.h"

#include <algorithm>
#include <iostream>
#include <malloc.h>

#include <gtest/gtest.h>

#include "stress/embedded_scripts.h"

namespace raceaudit::stress {
namespace {

Interpreter interp(const std::string& name) {
    Interpreter i;
    i.name = name;
    i.executable = "/usr/bin/" + name;
    return i;
}

std::string env_value(const std::vector<std::string>& env, const std::string& name) {
    return find_env(env, name).value_or("<unset>");
}

TEST(RunPlan, OrderIsRepeatByRepeat) {
    StressConfig c;
    c.repeat = 2;
    c.threads = {2, 8};
    const Plan plan = build_plan(c, 2, "/tmp/w");
    ASSERT_EQ(plan.size(), 8u);
    EXPECT_EQ(plan.at(0).repeat, 0);
    EXPECT_EQ(plan.at(3).repeat, 0);
    EXPECT_EQ(plan.at(4).repeat, 1);
    EXPECT_EQ(plan.at(1).threads, 8);
    EXPECT_EQ(plan.at(2).interpreter, 1u);
    EXPECT_TRUE(plan.at(0).result_file.empty());  // script mode
}

TEST(RunPlan, ScriptRunUsesTheBootstrap) {
    StressConfig c;
    c.mode = StressConfig::Mode::script;
    c.script = "repro.py";
    c.script_args = {"--n", "3"};
    c.switch_interval = 1e-6;
    c.paths = {"/src/a", "/src/b"};
    const std::vector<Interpreter> interps = {interp("python3")};
    PlannedRun run;
    run.threads = 0;
    const ProcessSpec spec = run_spec(c, interps, "", run);
    const std::vector<std::string> expected = {"/usr/bin/python3", "-c", std::string(bootstrap_source()),
                                               "1e-06", "1", "repro.py", "--n", "3"};
    EXPECT_EQ(spec.request.argv, expected);
    EXPECT_EQ(env_value(spec.request.env, "RACEAUDIT_THREADS"), "<unset>");
    EXPECT_EQ(env_value(spec.request.env, "PYTHONFAULTHANDLER"), "1");
    EXPECT_EQ(env_value(spec.request.env, "PYTHONPATH").rfind("/src/a:/src/b", 0), 0u);
}

TEST(RunPlan, WorkloadRunUsesTheDriver) {
    StressConfig c;
    c.mode = StressConfig::Mode::workload;
    c.call = "m:w";
    c.check = "m:c";
    c.threads = {32};
    c.faulthandler = false;
    const Plan plan = build_plan(c, 1, "/tmp/w");
    const ProcessSpec spec = run_spec(c, {interp("pypy3")}, "/tmp/w/driver.py", plan.at(0));
    const auto& a = spec.request.argv;
    EXPECT_EQ(a[0], "/usr/bin/pypy3");
    EXPECT_EQ(a[1], "/tmp/w/driver.py");
    auto after = [&](const std::string& flag) {
        auto it = std::find(a.begin(), a.end(), flag);
        return it != a.end() && it + 1 != a.end() ? *(it + 1) : std::string("<missing>");
    };
    EXPECT_EQ(after("--call"), "m:w");
    EXPECT_EQ(after("--check"), "m:c");
    EXPECT_EQ(after("--setup"), "<missing>");
    EXPECT_EQ(after("--threads"), "32");
    EXPECT_EQ(after("--result"), "/tmp/w/result-0.json");
    EXPECT_EQ(std::count(a.begin(), a.end(), "--dump-on-sigterm"), 0);
    EXPECT_EQ(env_value(spec.request.env, "RACEAUDIT_THREADS"), "32");
    EXPECT_EQ(env_value(spec.request.env, "PYTHONFAULTHANDLER"), "<unset>");
}

// Bytes allocated and not freed by the plan of a 1,000,000-run workload request.
TEST(RunPlan, MemoryDoesNotGrowWithTheNumberOfRuns) {
    StressConfig c;
    c.mode = StressConfig::Mode::workload;
    c.call = "m:w";
    c.repeat = 1000000;
    c.threads = {8};
    const std::size_t before = mallinfo2().uordblks;
    const Plan plan = build_plan(c, 1, "/tmp/raceaudit-stress-XXXXXX");
    const std::size_t after = mallinfo2().uordblks;
    const std::size_t bytes = after > before ? after - before : 0;
    std::cout << "plan of 1000000 runs: " << bytes << " bytes\n";
    EXPECT_LT(bytes, 64u * 1024u);
}

TEST(EmbeddedScripts, AreTheRepositoryFiles) {
    EXPECT_NE(driver_source().find("def _run_round("), std::string_view::npos);
    EXPECT_NE(bootstrap_source().find("runpy.run_path(script, run_name=\"__main__\")"), std::string_view::npos);
    EXPECT_EQ(driver_source().back(), '\n');
}

}  // namespace
}  // namespace raceaudit::stress
