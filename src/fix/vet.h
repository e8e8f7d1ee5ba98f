// Checks a fix against the source text it edits, once the findings are known
// (scan/fingerprint.cpp): lowering never sees whole-line comments (see
// parse/comment_lines.h), so only here can a fix that would delete one be
// dropped.
#pragma once

#include <optional>

#include "fix/fix.h"
#include "util/source_text.h"

namespace raceaudit {

// Drops `fix` when one of its edits replaces text that holds a comment, or
// when its statement (Fix::alone) or a region it wraps (Fix::wraps) shares a
// line with other code or is indented with anything but spaces. Turns each
// wrap into an edit (comments inside the region stay).
void vet_fix(std::optional<Fix>& fix, const LineIndex& lines);

}  // namespace raceaudit
