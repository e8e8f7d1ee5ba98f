#include "stress/interpreter.h"

#include <gtest/gtest.h>

namespace raceaudit::stress {
namespace {

TEST(Interpreter, ParsesProbeOutput) {
    Interpreter i;
    ASSERT_TRUE(parse_probe_output(
        "hello from sitecustomize\n"
        R"({"version": [3, 13, 1], "implementation": "cpython", "implementation_version": "",)"
        R"( "gil_enabled": false, "free_threaded_build": true, "executable": "/usr/bin/python3.13t"})"
        "\n",
        &i));
    EXPECT_EQ(i.version(), "3.13.1");
    EXPECT_FALSE(i.gil_enabled);
    EXPECT_TRUE(i.free_threaded_build);
    EXPECT_EQ(i.description(), "CPython 3.13.1 free-threaded, GIL disabled");
}

TEST(Interpreter, DescribesPyPy) {
    Interpreter i;
    ASSERT_TRUE(parse_probe_output(R"({"version": [3, 9, 16], "implementation": "pypy",)"
                                   R"( "implementation_version": "7.3.11", "gil_enabled": true,)"
                                   R"( "free_threaded_build": false, "executable": "/usr/bin/pypy3"})",
                                   &i));
    EXPECT_EQ(i.description(), "PyPy 7.3.11 (Python 3.9.16), GIL");
    EXPECT_TRUE(i.stdlib_dirs.empty());  // older answers without the field still parse
}

TEST(Interpreter, RejectsOtherOutput) {
    Interpreter i;
    EXPECT_FALSE(parse_probe_output("", &i));
    EXPECT_FALSE(parse_probe_output("Python 3.11.7\n", &i));
    EXPECT_FALSE(parse_probe_output(R"({"version": "3.11"})", &i));
}

TEST(Interpreter, LocatesExplicitPaths) {
    EXPECT_EQ(locate("/bin/sh"), (std::vector<std::string>{"/bin/sh"}));
    EXPECT_TRUE(locate("/nonexistent/python3").empty());
    EXPECT_TRUE(locate("surely-no-such-python-name").empty());
}

}  // namespace
}  // namespace raceaudit::stress
