// Reading places back: how a place is written for people (`raceaudit facts`,
// messages about locks, the fuzz oracle).
#pragma once

#include <string>

#include "facts/facts.h"

namespace raceaudit {

// `self._lock`, `cls.registry`, `CONFIG`, `self.entries[].lock` (an element's
// attribute), `self.lookup().size` (an attribute of what a call returned).
std::string place_text(const ModuleFacts& facts, PlaceId place);

const char* root_name(Root root);

}  // namespace raceaudit
