#include "diag/suppression_index.h"

#include <algorithm>

#include "scan/scan.h"

namespace raceaudit {

SuppressionIndex::SuppressionIndex(const std::vector<Suppression>& suppressions) : suppressions_(suppressions) {
  for (size_t i = 0; i < suppressions.size(); ++i) by_line_[suppressions[i].line].push_back(i);
}

std::vector<size_t> SuppressionIndex::matching(const Finding& f) const {
  std::vector<size_t> out;
  for (const uint32_t line : {f.span.line, f.stmt.line, f.stmt.end_line}) {
    auto it = by_line_.find(line);
    if (it == by_line_.end()) continue;
    for (size_t i : it->second) {
      const Suppression& s = suppressions_[i];
      bool code_ok = s.all_codes;
      for (const auto& c : s.codes) code_ok = code_ok || code_matches(f.code, c);
      if (code_ok && std::find(out.begin(), out.end(), i) == out.end()) out.push_back(i);
    }
  }
  return out;
}

}  // namespace raceaudit
