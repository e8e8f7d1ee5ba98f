// The suppression comments of one file, looked up by line: a finding asks
// only the comments on its own line and its statement's first and last line.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "facts/facts.h"
#include "rules/finding.h"

namespace raceaudit {

class SuppressionIndex {
 public:
  explicit SuppressionIndex(const std::vector<Suppression>& suppressions);

  // Indexes (into the file's suppressions) of the comments that silence `f`;
  // empty when none does.
  std::vector<size_t> matching(const Finding& f) const;

 private:
  const std::vector<Suppression>& suppressions_;
  std::unordered_map<uint32_t, std::vector<size_t>> by_line_;
};

}  // namespace raceaudit
