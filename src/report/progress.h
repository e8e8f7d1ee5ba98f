// A progress line on stderr for long scans ("raceaudit: scanned 1200/5000
// files"), redrawn in place. It appears only on a terminal, and only once the
// scan has run for more than a second or has more than 500 files; finish()
// erases it so that the report starts on a clean line.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>

namespace raceaudit {

class ProgressLine {
 public:
  // `enabled`: stderr is a terminal and the user did not ask for --quiet.
  explicit ProgressLine(bool enabled);
  ~ProgressLine() { finish(); }

  // Safe to call from several worker threads.
  void update(size_t done, size_t total);
  void finish();

 private:
  bool enabled_;
  bool shown_ = false;
  std::mutex mutex_;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace raceaudit
