#pragma once
// Bounded capture of a child's output stream: the first `limit` bytes and the
// last `limit` bytes are kept, everything in between is counted and dropped,
// so a child that prints 100 MB costs at most 2 * limit bytes of memory.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace raceaudit::stress {

class CaptureBuffer {
public:
    static constexpr std::size_t kDefaultLimit = 64 * 1024;

    explicit CaptureBuffer(std::size_t limit = kDefaultLimit);

    void append(std::string_view data);

    // Bytes the stream produced in total, and how many of them were dropped.
    std::uint64_t total_bytes() const { return total_; }
    std::uint64_t dropped_bytes() const;
    std::size_t kept_bytes() const { return head_.size() + tail_size(); }
    bool truncated() const { return dropped_bytes() > 0; }

    const std::string& head() const { return head_; }
    // The kept tail, in stream order (empty when nothing was dropped yet and
    // everything fits in the head).
    std::string tail() const;

    // head + "\n[... N bytes omitted ...]\n" + tail, or just head + tail when
    // nothing was dropped.
    std::string text() const;

private:
    std::size_t tail_size() const { return tail_full_ ? limit_ : tail_pos_; }

    std::size_t limit_;
    std::string head_;
    std::string tail_;          // ring buffer of `limit_` bytes once in use
    std::size_t tail_pos_ = 0;  // next write position in the ring
    bool tail_full_ = false;
    std::uint64_t total_ = 0;
};

}  // namespace raceaudit::stress
