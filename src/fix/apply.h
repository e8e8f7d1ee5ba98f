// Applies fixes to one file's text in one pass. Overlaps are resolved by
// position: fixes are taken in the order of their first edit, and one that
// touches an edit of a fix already taken is left out, but for an edit both
// make alike (the same new lock), which is made once.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "fix/fix.h"

namespace raceaudit {

struct AppliedFix {
  size_t index = 0;         // into the fixes given
  uint32_t first_line = 0;  // the lines its edits span in the new text
  uint32_t last_line = 0;
};

struct ApplyResult {
  std::string text;
  std::vector<AppliedFix> applied;  // in position order
  std::vector<size_t> overlapping;  // fixes left out, indexes into the fixes given
  std::vector<size_t> unplaceable;  // fixes whose edits lie outside the text
};

// `fixes` have their edits in character columns (as finished findings do).
// A "\n" in an edit's content becomes the text's own line ending ("\r\n"
// when its first line ends so).
ApplyResult apply_fixes(std::string_view text, const std::vector<const Fix*>& fixes);

}  // namespace raceaudit
