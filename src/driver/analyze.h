// The analysis stages composed once: link the modules' facts, run the
// selected rules, keep one finding per rule and line. `raceaudit scan`, the
// fuzz target and the micro-benchmarks all call this.
#pragma once

#include <functional>
#include <string_view>
#include <vector>

#include "link/project.h"
#include "rules/finding.h"

namespace raceaudit {

struct Analysis {
  Project project;
  std::vector<Finding> findings;  // in rule order, not yet filtered by confidence or suppressions
};

// `selected(code)` says whether a rule runs; null runs every rule.
Analysis analyze(std::vector<ModuleFacts> modules, LinkOptions options,
                 const std::function<bool(std::string_view)>& selected = nullptr);

}  // namespace raceaudit
