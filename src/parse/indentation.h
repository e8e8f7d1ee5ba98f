// tree-sitter-python accepts some indentation that CPython rejects
// (`x = 1` followed by an indented `y = 2`; a dedent to a column no block
// started at). This check follows CPython's tokenizer over logical lines and
// reports the first IndentationError, so such files get a diagnostic too.
#pragma once

#include <optional>
#include <string_view>

#include "facts/facts.h"

namespace raceaudit {

std::optional<Diagnostic> check_indentation(std::string_view text);

}  // namespace raceaudit
