// Small helpers shared by the linking passes.
#pragma once

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <string>
#include <vector>

namespace raceaudit::link_util {

inline bool is_private_name(const std::string& n) {
  return n.size() > 1 && n[0] == '_' && !(n.size() > 4 && n.compare(0, 2, "__") == 0 && n.compare(n.size() - 2, 2, "__") == 0);
}

inline std::string last_part(const std::string& dotted) {
  const size_t p = dotted.rfind('.');
  return p == std::string::npos ? dotted : dotted.substr(p + 1);
}

inline std::string first_part(const std::string& dotted) { return dotted.substr(0, dotted.find('.')); }

inline void sort_unique(std::vector<int32_t>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

inline std::vector<int32_t> intersect(const std::vector<int32_t>& a, const std::vector<int32_t>& b) {
  std::vector<int32_t> out;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

inline std::vector<int32_t> unite(const std::vector<int32_t>& a, const std::vector<int32_t>& b) {
  std::vector<int32_t> out;
  std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

}  // namespace raceaudit::link_util

namespace raceaudit {
using link_util::first_part;
using link_util::intersect;
using link_util::is_private_name;
using link_util::last_part;
using link_util::sort_unique;
using link_util::unite;
}  // namespace raceaudit
