// `scan --add-suppressions`, as ruff's --add-noqa: a `# raceaudit:
// ignore[CODE]` comment on a line of every finding, for adopting the tool on
// a large code base and fixing the findings later. Codes for one line go
// into one comment, sorted; a raceaudit comment already on the line gets the
// new codes merged in; other comments stay, the new one after them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace raceaudit {

struct SuppressionTarget {
  std::string code;
  // Lines that silence the finding (diag/suppression_index.h), in order of
  // preference: the next is taken when a comment cannot end the line before
  // (a backslash continuation, the inside of a multi-line string).
  std::vector<uint32_t> lines;
};

struct SuppressionEdits {
  std::string text;
  size_t added = 0;               // new comments
  size_t merged = 0;              // raceaudit comments given more codes
  std::vector<size_t> unplaced;   // targets no line of which can take a comment
};

SuppressionEdits add_suppressions(std::string_view text, const std::vector<SuppressionTarget>& targets);

}  // namespace raceaudit
