#include "stress/driver_result.h"

#include <gtest/gtest.h>

namespace raceaudit::stress {
namespace {

TEST(DriverResult, Violations) {
    const auto r = parse_driver_result(
        R"({"protocol": 1, "status": "violations", "rounds": 1, "threads": 8, "exception_count": 0,
            "violation_count": 2, "violations": ["a", "b"]})");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, DriverResult::Status::violations);
    EXPECT_EQ(r->threads, 8);
    EXPECT_EQ(r->violations, (std::vector<std::string>{"a", "b"}));
}

TEST(DriverResult, Exception) {
    const auto r = parse_driver_result(
        R"({"status": "exception", "exception_count": 3, "exception": {"type": "KeyError", "message": "'k'",
            "phase": "worker", "file": "/w.py", "line": 4, "function": "worker", "traceback": "Traceback..."}})");
    ASSERT_TRUE(r);
    ASSERT_TRUE(r->exception);
    EXPECT_EQ(r->exception->type, "KeyError");
    ASSERT_TRUE(r->exception->where);
    EXPECT_EQ(r->exception->where->line, 4);
    EXPECT_EQ(r->exception_count, 3u);
}

TEST(DriverResult, RejectsGarbage) {
    EXPECT_FALSE(parse_driver_result(""));
    EXPECT_FALSE(parse_driver_result("{"));
    EXPECT_FALSE(parse_driver_result(R"({"status": "weird"})"));
    EXPECT_FALSE(parse_driver_result(R"({"status": "exception"})"));  // no exception object
    EXPECT_FALSE(parse_driver_result(R"({"status": "ok", "rounds": "many"})"));
    EXPECT_FALSE(read_driver_result("/nonexistent/raceaudit/result.json"));
}

}  // namespace
}  // namespace raceaudit::stress
