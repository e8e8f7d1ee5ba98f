#include "confirm/embedded.h"

#include "confirm_embedded_confirm_driver.h"
#include "confirm_embedded_probe.h"

namespace raceaudit::confirm {

std::string_view probe_source() {
    using namespace raceaudit::stress::embedded;
    return {reinterpret_cast<const char*>(probe_py), probe_py_size};
}

std::string_view confirm_driver_source() {
    using namespace raceaudit::stress::embedded;
    return {reinterpret_cast<const char*>(confirm_driver_py), confirm_driver_py_size};
}

}  // namespace raceaudit::confirm
