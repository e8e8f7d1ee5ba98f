#include "diag/one_per_line.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace raceaudit {

void keep_one_finding_per_line(std::vector<Finding>& findings) {
  // (path, line, code) -> index of the finding kept so far.
  std::map<std::tuple<std::string, uint32_t, std::string>, size_t> best;
  for (size_t i = 0; i < findings.size(); ++i) {
    const Finding& f = findings[i];
    auto [it, fresh] = best.emplace(std::make_tuple(f.path, f.span.line, f.code), i);
    if (fresh) continue;
    const Finding& kept = findings[it->second];
    if (std::tie(f.confidence, kept.span.col, kept.message) > std::tie(kept.confidence, f.span.col, f.message))
      it->second = i;
  }
  std::vector<bool> keep(findings.size(), false);
  for (const auto& [key, i] : best) keep[i] = true;
  size_t out = 0;
  for (size_t i = 0; i < findings.size(); ++i)
    if (keep[i]) {
      if (out != i) findings[out] = std::move(findings[i]);
      ++out;
    }
  findings.resize(out);
}

}  // namespace raceaudit
