#pragma once
// The JSON object the workload driver (driver/raceaudit_stress_driver.py)
// writes to its result file, read back on the C++ side.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stress/traceback_parser.h"

namespace raceaudit::stress {

struct DriverException {
    std::string type;
    std::string message;
    std::string phase;  // "setup", "worker" or "check"
    std::optional<Frame> where;
    std::string traceback;
};

struct DriverResult {
    enum class Status { ok, exception, violations, load_error };
    Status status = Status::ok;
    int rounds = 0;
    int threads = 0;
    std::size_t exception_count = 0;
    std::optional<DriverException> exception;
    std::size_t violation_count = 0;
    std::vector<std::string> violations;
    std::string message;  // load_error text
};

// Parses the driver's JSON; std::nullopt when it is not valid (a run killed
// before writing it leaves no file or an empty one).
std::optional<DriverResult> parse_driver_result(std::string_view json_text);

// Reads and parses the result file at `path`.
std::optional<DriverResult> read_driver_result(const std::string& path);

}  // namespace raceaudit::stress
