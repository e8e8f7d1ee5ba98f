// Which lock-like places are held at each point of the walk: `with x:`
// items, `x.acquire()` ... `x.release()` and lock helper calls push and pop
// them; every access records the interned set held when it happens
// (linking decides which of the places are locks).
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "facts/facts.h"

namespace raceaudit::lowering {

class LockRegions {
 public:
  // `locksets` is the module's table; [0], the empty set, is added if missing.
  explicit LockRegions(std::vector<std::vector<PlaceId>>& locksets);

  void hold(PlaceId lock);
  void release(PlaceId lock);  // the innermost hold of `lock`; nothing if not held
  const std::vector<PlaceId>& held() const { return held_; }
  void restore(std::vector<PlaceId> held);
  // The id in the locksets table of what is held now (sorted, no repeats).
  uint32_t current();
  // The critical section the walk is in: a new number each time a lock is
  // taken while none is held, 0 while none is. Two accesses with the same
  // number ran with no release in between (wraps after 65535 sections).
  uint16_t section() const { return section_; }

  // Restores what was held when it was made (the end of a `with` body, a branch).
  class Saved {
   public:
    explicit Saved(LockRegions& r) : r_(r), held_(r.held_) {}
    ~Saved() { r_.restore(std::move(held_)); }
    const std::vector<PlaceId>& held() const { return held_; }
    Saved(const Saved&) = delete;
    Saved& operator=(const Saved&) = delete;

   private:
    LockRegions& r_;
    std::vector<PlaceId> held_;
  };

 private:
  std::vector<std::vector<PlaceId>>& locksets_;
  std::unordered_map<std::string, uint32_t> ids_;  // a set's ids as bytes -> its index
  std::vector<PlaceId> held_;
  uint32_t current_ = 0;
  uint16_t section_ = 0, serial_ = 0;
  bool dirty_ = false;
  void enter_or_leave();
};

}  // namespace raceaudit::lowering
