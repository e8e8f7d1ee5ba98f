// The checks whose branch is being lowered (`if k not in d:` while its body
// is walked; `if not q: return` for the rest of the block): a stack, indexed
// by place so that emitting an act finds its guarding checks in one lookup.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <utility>
#include <vector>

#include "facts/facts.h"

namespace raceaudit::lowering {

struct ActiveCheck {
  PlaceId place;
  uint32_t access;  // the Check access
};

class CheckStack {
 public:
  // At most this many checks of one place pair with an act (hostile input
  // nests thousands of `if x:`).
  static constexpr size_t kMaxPerPlace = 8;

  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  void push(const ActiveCheck& c) {
    auto& v = by_place_[c.place];
    const bool indexed = v.size() < kMaxPerPlace;
    if (indexed) v.push_back(c.access);
    entries_.push_back({c, indexed});
  }
  // Pops back to `n` entries.
  void pop_to(size_t n) {
    while (entries_.size() > n) {
      auto& [check, indexed] = entries_.back();
      if (indexed) {
        auto it = by_place_.find(check.place);
        it->second.pop_back();
        if (it->second.empty()) by_place_.erase(it);
      }
      entries_.pop_back();
    }
  }
  // The checks pushed after the first `n`, oldest first.
  std::vector<ActiveCheck> since(size_t n) const {
    std::vector<ActiveCheck> out;
    for (size_t i = n; i < entries_.size(); ++i) out.push_back(entries_[i].first);
    return out;
  }
  // The active checks of `place`, innermost last; null when none.
  const std::vector<uint32_t>* checks_of(PlaceId place) const {
    auto it = by_place_.find(place);
    return it == by_place_.end() ? nullptr : &it->second;
  }

 private:
  std::vector<std::pair<ActiveCheck, bool>> entries_;  // check, indexed (false: over the per-place cap)
  std::unordered_map<PlaceId, std::vector<uint32_t>> by_place_;
};

}  // namespace raceaudit::lowering
