#pragma once
// One `raceaudit confirm` invocation from validated options to exit status.

#include <ostream>

#include "confirm/options.h"

namespace raceaudit::confirm {

// 0 nothing confirmed, 1 a race confirmed (an overlap observed), 2 usage or
// tool error (one line on `err`), 130 interrupted.
int run_session(const ConfirmConfig& config, std::ostream& out, std::ostream& err);

}  // namespace raceaudit::confirm
