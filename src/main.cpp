// raceaudit: finds thread races in Python code.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.h"
#include "confirm/confirm_command.h"
#include "stress/stress_command.h"

int main(int argc, char** argv) {
  CLI::App app{"raceaudit: find thread races in Python code (scan, stress, confirm, rule)", "raceaudit"};
  app.set_version_flag("--version", "raceaudit " RACEAUDIT_VERSION);
  app.require_subcommand(1);
  int exit_code = 0;
  raceaudit::cli::add_scan_command(app, &exit_code);
  raceaudit::cli::add_rule_command(app, &exit_code);
  raceaudit::cli::add_facts_command(app, &exit_code);
  raceaudit::stress::add_command(app, &exit_code);
  raceaudit::confirm::add_command(app, &exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    raceaudit::cli::print_error(e.what());
    return 2;
  } catch (const std::exception& e) {
    raceaudit::cli::print_error(e.what());
    return 2;
  }
  return exit_code;
}
