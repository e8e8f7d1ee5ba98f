// An automatic fix of a finding: edits of the source with an applicability,
// as ruff has them. `scan --fix` applies the safe ones, `--unsafe-fixes`
// also the unsafe ones (docs/fixes.md).
#pragma once

#include <string>
#include <vector>

#include "facts/facts.h"

namespace raceaudit {

// Safe: keeps what the code does in one thread and removes the race.
// Unsafe: changes behaviour in some case (said in the message) or structure; review it.
// DisplayOnly: a design change to make by hand; reports show it, nothing applies it.
enum class Applicability : uint8_t { Safe, Unsafe, DisplayOnly };
inline const char* to_string(Applicability a) {
  return a == Applicability::Safe ? "safe" : a == Applicability::Unsafe ? "unsafe" : "display-only";
}

// Replaces the text from `range`'s start up to (not including) its end by
// `content`; an empty range inserts. Columns are those of Finding::span:
// bytes as the rules make it, characters once the scan has finished the
// findings. A line break in `content` is "\n" (written as the file's own).
struct Edit {
  Span range;
  std::string content;
};

// Statements to hold a lock around: `header` ("with self._lock:") goes
// before `region`, on the line and at the column it starts, and the region's
// lines move four columns right (but those that start inside a string).
// fix/vet.h turns it into an Edit once it has the source text.
struct Wrap {
  Span region;  // from the first statement's start to the last one's end
  std::string header;
};

struct Fix {
  Applicability applicability = Applicability::Safe;
  std::string message;      // "Iterate over a snapshot: `list(self.items)`"
  std::vector<Edit> edits;  // in source order, not overlapping
  // When set (line > 0): the edits hold only if this statement stands alone
  // on its lines, indented with spaces (fix/vet.h checks it in the source).
  Span alone;
  std::vector<Wrap> wraps;  // each becomes one more edit (fix/vet.h); not overlapping
};

}  // namespace raceaudit
