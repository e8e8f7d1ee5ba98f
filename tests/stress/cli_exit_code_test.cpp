// Exit statuses, usage errors and report formats of `raceaudit stress`.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "cli_test_support.h"

namespace raceaudit::stress::testing {
namespace {

using nlohmann::json;

void expect_usage_error(const std::vector<std::string>& args, const std::string& expected_text) {
    const CliResult r = run_raceaudit(args);
    EXPECT_EQ(r.exit_code, 2) << "stdout: " << r.out << "\nstderr: " << r.err;
    EXPECT_EQ(r.err.rfind("raceaudit: error: ", 0), 0u) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line expected: " << r.err;
    EXPECT_NE(r.err.find(expected_text), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "");
}

TEST(ExitCode, ZeroWhenEveryRunIsClean) {
    const CliResult r = run_raceaudit({"stress", script("exit_ok.py"), "--repeat", "3"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("no failure in 3 runs."), std::string::npos) << r.out;
}

TEST(ExitCode, OneWhenARunFails) {
    const CliResult r = run_raceaudit({"stress", script("raise_index_error.py"), "--repeat", "2", "--no-control"});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.out.find("race confirmed: 2 of 2 runs failed (1 distinct failure)"), std::string::npos) << r.out;
}

TEST(ExitCode, TwoForUsageErrors) {
    expect_usage_error({"stress", "/nonexistent/repro.py"}, "script not found: /nonexistent/repro.py");
    expect_usage_error({"stress", script("exit_ok.py"), "--python", "no-such-python-raceaudit"},
                       "interpreter not found: no-such-python-raceaudit");
    expect_usage_error({"stress", script("exit_ok.py"), "--python", "/nonexistent/bin/python3"},
                       "interpreter not found: /nonexistent/bin/python3");
    expect_usage_error({"stress", script("exit_ok.py"), "--threads", "2,x"}, "--threads");
    expect_usage_error({"stress", script("exit_ok.py"), "--repeat", "many"}, "--repeat");
    expect_usage_error({"stress", script("exit_ok.py"), "--format", "xml"}, "--format");
    expect_usage_error({"stress", script("exit_ok.py"), "--call", "m:f"}, "not both");
    expect_usage_error({"stress"}, "nothing to run");
    expect_usage_error({"stress", "--call", "stress_workload:no_such_function", "--path", script("workload")},
                       "stress_workload has no attribute 'no_such_function'");
    expect_usage_error({"stress", "--call", "no_such_module_raceaudit:f"}, "No module named");
}

TEST(ExitCode, InterpreterThatDoesNotRunIsAUsageError) {
    const std::string dir = temp_dir();
    const std::string fake = dir + "/python3";
    {
        std::ofstream out(fake);
        out << "#!/bin/sh\necho 'broken interpreter' >&2\nexit 9\n";
    }
    std::filesystem::permissions(fake, std::filesystem::perms::owner_all);
    expect_usage_error({"stress", script("exit_ok.py"), "--python", fake}, "broken interpreter");
}

TEST(Formats, TextTable) {
    const CliResult r = run_raceaudit({"stress", script("raise_index_error.py"), "--repeat", "2", "--no-control",
                                       "--python", "python3", "--python", "pypy3", "--show-output"});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.out.find("interpreter  version"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("python3      CPython"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("pypy3        PyPy"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("2x exception IndexError: pop from empty list"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("raise_index_error.py:"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("| Traceback (most recent call last):"), std::string::npos) << r.out;
}

TEST(Formats, Markdown) {
    const CliResult r =
        run_raceaudit({"stress", script("abort.py"), "--repeat", "1", "--no-control", "--format", "markdown",
                       "--show-output"});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.out.find("| interpreter | version | threads | runs |"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("`crash SIGABRT (Fatal Python error: Aborted)`"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("<details>"), std::string::npos) << r.out;
}

TEST(Formats, OutputFile) {
    const std::string file = temp_dir() + "/report.json";
    const CliResult r =
        run_raceaudit({"stress", script("exit_ok.py"), "--repeat", "1", "--format", "json", "-o", file});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "");
    std::ifstream in(file);
    std::stringstream s;
    s << in.rdbuf();
    EXPECT_EQ(json::parse(s.str())["summary"]["completed_runs"], 1);
}

TEST(ListPythons, FindsPython3AndPyPy) {
    const CliResult r = run_raceaudit({"stress", "--list-pythons", "--format", "json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const json doc = json::parse(r.out);
    bool cpython = false;
    bool pypy = false;
    for (const auto& i : doc["interpreters"]) {
        for (const auto& name : i["names"]) {
            if (name == "python3") cpython = i["implementation"] == "cpython";
            if (name == "pypy3") pypy = i["implementation"] == "pypy";
        }
        EXPECT_TRUE(i["gil_enabled"].is_boolean());
    }
    EXPECT_TRUE(cpython) << r.out;
    EXPECT_TRUE(pypy) << r.out;
    const CliResult text = run_raceaudit({"stress", "--list-pythons"});
    EXPECT_EQ(text.exit_code, 0);
    EXPECT_NE(text.out.find("implementation  version"), std::string::npos) << text.out;
}

}  // namespace
}  // namespace raceaudit::stress::testing
