// Why a finding has its confidence: the signals of sharing and thread intent
// the analysis saw, each with a sentence that names the code it saw.
#pragma once

#include <string>
#include <vector>

namespace raceaudit {

struct Evidence {
  std::string kind;     // "guarded-by-violation", "thread-target", "class-lock", ... (docs/analysis-model.md)
  std::string message;  // "`Pool._free` is accessed under `Pool._lock` at 3 of 4 sites; not here"
};

}  // namespace raceaudit
