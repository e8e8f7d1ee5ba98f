#include "stress/options.h"

#include <gtest/gtest.h>

namespace raceaudit::stress {
namespace {

RawOptions script_options() {
    RawOptions raw;
    raw.script = std::string(STRESS_TEST_SCRIPTS) + "/exit_ok.py";
    return raw;
}

TEST(Options, ThreadLists) {
    EXPECT_EQ(parse_thread_list("8"), (std::vector<int>{8}));
    EXPECT_EQ(parse_thread_list("2,8,32"), (std::vector<int>{2, 8, 32}));
    EXPECT_EQ(parse_thread_list("2,2,4"), (std::vector<int>{2, 4}));
    EXPECT_FALSE(parse_thread_list(""));
    EXPECT_FALSE(parse_thread_list("0"));
    EXPECT_FALSE(parse_thread_list("2,"));
    EXPECT_FALSE(parse_thread_list("2,,4"));
    EXPECT_FALSE(parse_thread_list("two"));
    EXPECT_FALSE(parse_thread_list("-1"));
    EXPECT_FALSE(parse_thread_list("99999"));
}

TEST(Options, ScriptDefaults) {
    const auto v = validate(script_options());
    ASSERT_TRUE(v.config) << v.error;
    EXPECT_EQ(v.config->mode, StressConfig::Mode::script);
    EXPECT_EQ(v.config->repeat, 20);
    EXPECT_EQ(v.config->pythons, (std::vector<std::string>{"python3"}));
    EXPECT_TRUE(v.config->threads.empty());
    EXPECT_DOUBLE_EQ(v.config->switch_interval, 1e-6);
    EXPECT_DOUBLE_EQ(v.config->timeout, 60.0);
    EXPECT_GE(v.config->jobs, 1);
}

TEST(Options, ControlModes) {
    EXPECT_EQ(validate(script_options()).config->control, ControlMode::single);
    RawOptions raw = script_options();
    raw.control = "gil";
    EXPECT_EQ(validate(raw).config->control, ControlMode::gil);
    raw.no_control = true;  // --no-control wins
    EXPECT_EQ(validate(raw).config->control, ControlMode::none);
    raw = script_options();
    raw.control = "GIL";
    EXPECT_EQ(validate(raw).error, "--control: unknown mode 'GIL' (expected single, gil or none)");
}

TEST(Options, WorkloadDefaultsToEightThreads) {
    RawOptions raw;
    raw.call = "pkg.mod:worker";
    const auto v = validate(raw);
    ASSERT_TRUE(v.config) << v.error;
    EXPECT_EQ(v.config->threads, (std::vector<int>{kDefaultWorkloadThreads}));
}

TEST(Options, UsageErrors) {
    auto error_of = [](RawOptions raw) { return validate(raw).error; };
    RawOptions none;
    EXPECT_NE(error_of(none).find("nothing to run"), std::string::npos);
    RawOptions both = script_options();
    both.call = "a:b";
    EXPECT_NE(error_of(both).find("not both"), std::string::npos);
    RawOptions missing;
    missing.script = "/nonexistent/repro.py";
    EXPECT_EQ(error_of(missing), "script not found: /nonexistent/repro.py");
    RawOptions bad_call;
    bad_call.call = "no_colon";
    EXPECT_NE(error_of(bad_call).find("MODULE:FUNCTION"), std::string::npos);
    RawOptions setup_alone = script_options();
    setup_alone.setup = "a:b";
    EXPECT_NE(error_of(setup_alone).find("need --call"), std::string::npos);
    RawOptions bad_repeat = script_options();
    bad_repeat.repeat = "0";
    EXPECT_NE(error_of(bad_repeat).find("--repeat"), std::string::npos);
    RawOptions bad_threads = script_options();
    bad_threads.threads = "2,x";
    EXPECT_NE(error_of(bad_threads).find("--threads"), std::string::npos);
    RawOptions bad_interval = script_options();
    bad_interval.switch_interval = "fast";
    EXPECT_NE(error_of(bad_interval).find("--switch-interval"), std::string::npos);
    RawOptions bad_timeout = script_options();
    bad_timeout.timeout = "-1";
    EXPECT_NE(error_of(bad_timeout).find("--timeout"), std::string::npos);
    RawOptions bad_format = script_options();
    bad_format.format = "xml";
    EXPECT_NE(error_of(bad_format).find("--format"), std::string::npos);
    RawOptions bad_path = script_options();
    bad_path.paths = {"/nonexistent/dir"};
    EXPECT_NE(error_of(bad_path).find("--path"), std::string::npos);
    RawOptions rounds_for_script = script_options();
    rounds_for_script.rounds = "3";
    EXPECT_NE(error_of(rounds_for_script).find("--rounds"), std::string::npos);
}

TEST(Options, ListPythonsNeedsNothingElse) {
    RawOptions raw;
    raw.list_pythons = true;
    const auto v = validate(raw);
    ASSERT_TRUE(v.config) << v.error;
    EXPECT_EQ(v.config->mode, StressConfig::Mode::list_pythons);
}

TEST(Options, AbsurdPlanIsRefused) {
    RawOptions raw = script_options();
    raw.repeat = "1000000";
    std::string threads;
    for (int t = 1; t <= 4096; ++t) threads += (t > 1 ? "," : "") + std::to_string(t);
    raw.threads = threads;
    const auto v = validate(raw);
    EXPECT_FALSE(v.config);
    EXPECT_NE(v.error.find("4096000000 runs"), std::string::npos) << v.error;
    raw.threads = "1";
    EXPECT_TRUE(validate(raw).config) << "1,000,000 runs are allowed";
    raw.threads = "1,2";
    raw.pythons = {"python3", "python3"};  // the same interpreter once
    EXPECT_FALSE(validate(raw).config);
}

}  // namespace
}  // namespace raceaudit::stress
