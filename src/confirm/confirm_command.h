#pragma once
// Wiring of `raceaudit confirm` into the CLI11 application.

#include <CLI/CLI.hpp>

namespace raceaudit::confirm {

void add_command(CLI::App& app, int* exit_code);

}  // namespace raceaudit::confirm
