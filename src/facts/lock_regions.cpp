#include "facts/lock_regions.h"

#include <algorithm>

namespace raceaudit::lowering {

LockRegions::LockRegions(std::vector<std::vector<PlaceId>>& locksets) : locksets_(locksets) {
  if (locksets_.empty()) locksets_.emplace_back();
  ids_.emplace(std::string(), 0);
}

void LockRegions::enter_or_leave() {
  if (held_.empty()) section_ = 0;
  else if (section_ == 0 && ++serial_ == 0) section_ = serial_ = 1;
  else if (section_ == 0) section_ = serial_;
}

void LockRegions::hold(PlaceId lock) {
  held_.push_back(lock);
  enter_or_leave();
  dirty_ = true;
}

void LockRegions::release(PlaceId lock) {
  auto it = std::find(held_.rbegin(), held_.rend(), lock);
  if (it == held_.rend()) return;
  held_.erase(std::next(it).base());
  enter_or_leave();
  dirty_ = true;
}

void LockRegions::restore(std::vector<PlaceId> held) {
  held_ = std::move(held);
  enter_or_leave();
  dirty_ = true;
}

uint32_t LockRegions::current() {
  if (!dirty_) return current_;
  dirty_ = false;
  std::vector<PlaceId> sorted = held_;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  std::string key(reinterpret_cast<const char*>(sorted.data()), sorted.size() * sizeof(PlaceId));
  auto [it, fresh] = ids_.emplace(std::move(key), static_cast<uint32_t>(locksets_.size()));
  if (fresh) locksets_.push_back(std::move(sorted));
  return current_ = it->second;
}

}  // namespace raceaudit::lowering
