#include "stress/embedded_scripts.h"

#include "stress_embedded_bootstrap.h"
#include "stress_embedded_driver.h"

namespace raceaudit::stress {

std::string_view driver_source() {
    return {reinterpret_cast<const char*>(embedded::driver_py), embedded::driver_py_size};
}

std::string_view bootstrap_source() {
    return {reinterpret_cast<const char*>(embedded::bootstrap_py), embedded::bootstrap_py_size};
}

}  // namespace raceaudit::stress
