// Unit-test helper: one module's source, lowered and linked as module `m`.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "scan/scan.h"

namespace raceaudit {

inline Project link_one(const std::string& src) {
  std::vector<ModuleFacts> mods;
  mods.push_back(lower_text(src, "m.py", "m", {}));
  return Project(std::move(mods), LinkOptions{});
}

}  // namespace raceaudit
