#pragma once
// The report of `raceaudit confirm`: text for people, JSON for tools
// (`raceaudit scan --evidence` reads it; docs/confirm.md has the contract).

#include <ostream>
#include <vector>

#include <nlohmann/json.hpp>

#include "confirm/trials.h"

namespace raceaudit::confirm {

nlohmann::json report_json(const std::vector<FindingResult>& results);
void write_text(const std::vector<FindingResult>& results, std::ostream& out);

// 1 when some finding is confirmed (an overlap observed), else 0.
int exit_status(const std::vector<FindingResult>& results);

}  // namespace raceaudit::confirm
