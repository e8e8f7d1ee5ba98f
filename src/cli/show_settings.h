// `raceaudit scan --show-settings`: which configuration file was used, the
// project root, and the settings the scan would run with, resolved from the
// file, the defaults and the command line.
#pragma once

#include <ostream>
#include <string>

#include "config/config.h"

namespace raceaudit::cli {

void print_settings(std::ostream& out, const Config& config, const ScanOptions& o, const std::string& format);

}  // namespace raceaudit::cli
