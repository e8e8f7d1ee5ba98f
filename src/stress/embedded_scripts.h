#pragma once
// The Python helpers compiled into the binary (see driver/ and CMakeLists.txt):
// the workload driver, written to a temporary file for each session, and the
// script-mode bootstrap, passed with -c.

#include <string_view>

namespace raceaudit::stress {

inline constexpr std::string_view kDriverFileName = "raceaudit_stress_driver.py";

std::string_view driver_source();
std::string_view bootstrap_source();

}  // namespace raceaudit::stress
