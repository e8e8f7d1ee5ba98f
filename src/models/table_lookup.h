// Lookups shared by the model tables: membership in a fixed list of names,
// and the last part of a dotted name.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace raceaudit::models {

template <size_t N>
bool in(std::string_view s, const std::array<std::string_view, N>& names) {
  for (auto n : names)
    if (n == s) return true;
  return false;
}

// `heapq.heappop` -> `heappop`; a name without dots is itself.
inline std::string_view last_part(std::string_view dotted) {
  const size_t p = dotted.rfind('.');
  return p == std::string_view::npos ? dotted : dotted.substr(p + 1);
}

}  // namespace raceaudit::models
