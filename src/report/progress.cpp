#include "report/progress.h"

#include <cstdio>

namespace raceaudit {

ProgressLine::ProgressLine(bool enabled)
    : enabled_(enabled), start_(std::chrono::steady_clock::now()), last_draw_(start_) {}

void ProgressLine::update(size_t done, size_t total) {
  if (!enabled_) return;
  using namespace std::chrono_literals;
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard<std::mutex> lock(mutex_);
  if (!enabled_) return;
  if (!shown_ && now - start_ < 1s && total <= 500) return;
  if (shown_ && now - last_draw_ < 100ms && done < total) return;
  last_draw_ = now;
  shown_ = true;
  std::fprintf(stderr, "\r\x1b[Kraceaudit: scanned %zu/%zu files", done, total);
  std::fflush(stderr);
}

void ProgressLine::finish() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (shown_) {
    std::fputs("\r\x1b[K", stderr);
    std::fflush(stderr);
  }
  shown_ = false;
  enabled_ = false;
}

}  // namespace raceaudit
