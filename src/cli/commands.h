// Subcommands of the raceaudit binary. Each add_* registers a CLI11 subcommand
// whose callback stores the process exit code in *exit_code.
#pragma once

#include <CLI/CLI.hpp>

namespace raceaudit::cli {

void add_scan_command(CLI::App& app, int* exit_code);
void add_rule_command(CLI::App& app, int* exit_code);
void add_facts_command(CLI::App& app, int* exit_code);

// One-line error on stderr, the way every command reports a usage or I/O error.
void print_error(const std::string& message);

}  // namespace raceaudit::cli
