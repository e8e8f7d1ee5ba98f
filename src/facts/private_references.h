// Private names a module's text mentions outside their own `def`: how linking
// tells a private function nothing reaches from one reached in a way lowering
// does not record (ScopeInfo::named_elsewhere).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace raceaudit {

// Identifiers starting with `_` (not dunders) that the text mentions anywhere
// but right after `def` or `self.`/`cls.` (linking resolves those): calls on receivers linking cannot resolve
// (`obj._load_file(f)`), decorators, lists of methods, strings, comments.
// Sorted, each once.
std::vector<std::string> private_references(std::string_view text);

}  // namespace raceaudit
