// The free-threaded CPython that scripts/setup-free-threaded.sh builds into
// the raceaudit cache: found by --list-pythons, and what stress does with
// an interpreter whose GIL is off. Without the build these tests skip, and
// say so (RACEAUDIT_REQUIRE_FREE_THREADED=1, set by scripts/test.sh when CI
// built it, turns the skip into a failure).

#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

#include "cli_test_support.h"

namespace raceaudit::stress::testing {
namespace {

using nlohmann::json;

#define REQUIRE_FREE_THREADED()                                                  \
    do {                                                                         \
        if (!have_free_threaded_python()) {                                      \
            const char* required = std::getenv("RACEAUDIT_REQUIRE_FREE_THREADED"); \
            if (required != nullptr && std::string(required) == "1") {           \
                FAIL() << "RACEAUDIT_REQUIRE_FREE_THREADED=1 but "               \
                       << free_threaded_skip_message();                          \
            }                                                                    \
            GTEST_SKIP() << free_threaded_skip_message();                        \
        }                                                                        \
    } while (0)

TEST(FreeThreaded, ListPythonsFindsTheCachedBuildWithTheGilDisabled) {
    REQUIRE_FREE_THREADED();
    const CliResult r = run_raceaudit({"stress", "--list-pythons", "--format", "json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const json doc = json::parse(r.out);
    bool found = false;
    for (const auto& i : doc["interpreters"]) {
        for (const auto& name : i["names"]) {
            if (name != free_threaded_python()) continue;
            found = true;
            EXPECT_EQ(i["implementation"], "cpython");
            EXPECT_EQ(i["version"].get<std::string>().rfind("3.13.", 0), 0u) << i.dump();
            EXPECT_EQ(i["free_threaded_build"], true);
            EXPECT_EQ(i["gil_enabled"], false);
        }
    }
    EXPECT_TRUE(found) << free_threaded_python() << " not in\n" << r.out;
}

TEST(FreeThreaded, RunsReportTheGilDisabled) {
    REQUIRE_FREE_THREADED();
    const json doc = run_json({"stress", script("race_only_with_threads.py"), "--python", free_threaded_python(),
                               "--repeat", "2", "--threads", "4"},
                              1);
    ASSERT_EQ(doc["interpreters"].size(), 1u) << doc.dump(2);
    EXPECT_EQ(doc["interpreters"][0]["free_threaded_build"], true);
    EXPECT_EQ(doc["interpreters"][0]["gil_enabled"], false);
    EXPECT_EQ(doc["summary"]["race_confirmed"], true) << doc.dump(2);
}

TEST(FreeThreaded, GilControlForcesTheGilOn) {
    REQUIRE_FREE_THREADED();
    const json doc = run_json({"stress", script("broken_without_threads.py"), "--python", free_threaded_python(),
                               "--repeat", "2", "--control", "gil"},
                              3);
    EXPECT_EQ(doc["control"]["mode"], "gil") << doc.dump(2);
    ASSERT_EQ(doc["control"]["runs"].size(), 1u) << doc.dump(2);
    EXPECT_EQ(doc["control"]["runs"][0]["gil_forced"], true);
    EXPECT_EQ(doc["control"]["runs"][0]["failure"]["exception_type"], "PermissionError");
}

}  // namespace
}  // namespace raceaudit::stress::testing
