#pragma once
// `raceaudit confirm --emit-test FILE`: a pytest file that forces the
// interleaving of each confirmed finding with raceaudit.probe. Sites are
// named by code object qualname and statement text, not by line, so that
// unrelated edits do not break the test; it fails while the race is there
// (an overlap is observed) and passes once a lock keeps the partner out.

#include <string>
#include <vector>

#include "confirm/options.h"
#include "confirm/trials.h"

namespace raceaudit::confirm {

// The test file's text for `results` (the confirmed ones are used); empty
// when none is confirmed.
std::string emitted_test(const ConfirmConfig& config, const std::vector<FindingResult>& results);

// Writes it to config.emit_test; returns a one-line error or "".
std::string emit_test(const ConfirmConfig& config, const std::vector<FindingResult>& results,
                      std::string* note);

}  // namespace raceaudit::confirm
