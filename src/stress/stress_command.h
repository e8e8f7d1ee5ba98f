#pragma once
#include <CLI/CLI.hpp>
namespace raceaudit::stress {
// Adds the `stress` subcommand to `app`; when it runs, it stores the process exit code in *exit_code.
void add_command(CLI::App& app, int* exit_code);
}
