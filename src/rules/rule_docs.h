// Rule documentation pages, embedded from docs/rules/*.md at build time.
#pragma once

#include <string_view>

namespace raceaudit {

// The markdown page of a rule, or "" when there is none.
std::string_view rule_doc(std::string_view code);

}  // namespace raceaudit
