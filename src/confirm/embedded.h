#pragma once
// The Python files of `raceaudit confirm` compiled into the binary (see
// driver/ and CMakeLists.txt): the probe runtime (also shipped as
// raceaudit.probe) and the per-trial driver.

#include <string_view>

namespace raceaudit::confirm {

std::string_view probe_source();
std::string_view confirm_driver_source();

}  // namespace raceaudit::confirm
