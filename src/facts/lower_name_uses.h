// Lowering of ModuleFacts::names (facts.h, NameUses): a walk of its own over
// the tree, after the rest of lowering, whose imports it reads.
#pragma once

#include <string_view>

#include <tree_sitter/api.h>

#include "facts/facts.h"

namespace raceaudit {

// `text` is the module's source; nothing deeper than `max_depth` is looked
// at (NameUses::complete is then false).
void lower_name_uses(TSNode root, std::string_view text, unsigned max_depth, ModuleFacts& facts);

}  // namespace raceaudit
