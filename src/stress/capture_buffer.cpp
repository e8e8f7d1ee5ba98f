#include "stress/capture_buffer.h"

#include <algorithm>

#include <fmt/format.h>

namespace raceaudit::stress {

CaptureBuffer::CaptureBuffer(std::size_t limit) : limit_(limit) {}

void CaptureBuffer::append(std::string_view data) {
    total_ += data.size();
    if (head_.size() < limit_) {
        const std::size_t take = std::min(limit_ - head_.size(), data.size());
        head_.append(data.substr(0, take));
        data.remove_prefix(take);
    }
    if (data.empty() || limit_ == 0) return;
    if (tail_.size() != limit_) tail_.assign(limit_, '\0');
    // Only the last `limit_` bytes of this chunk can survive.
    if (data.size() >= limit_) {
        data = data.substr(data.size() - limit_);
        std::copy(data.begin(), data.end(), tail_.begin());
        tail_pos_ = 0;
        tail_full_ = true;
        return;
    }
    const std::size_t first = std::min(limit_ - tail_pos_, data.size());
    std::copy_n(data.begin(), first, tail_.begin() + static_cast<std::ptrdiff_t>(tail_pos_));
    std::copy(data.begin() + static_cast<std::ptrdiff_t>(first), data.end(), tail_.begin());
    if (tail_pos_ + data.size() >= limit_) tail_full_ = true;
    tail_pos_ = (tail_pos_ + data.size()) % limit_;
}

std::uint64_t CaptureBuffer::dropped_bytes() const {
    return total_ - static_cast<std::uint64_t>(kept_bytes());
}

std::string CaptureBuffer::tail() const {
    if (!tail_full_) return tail_.substr(0, tail_pos_);
    std::string out;
    out.reserve(limit_);
    out.append(tail_, tail_pos_, std::string::npos);
    out.append(tail_, 0, tail_pos_);
    return out;
}

std::string CaptureBuffer::text() const {
    std::string out = head_;
    if (truncated()) {
        if (!out.empty() && out.back() != '\n') out += '\n';
        out += fmt::format("[... {} bytes omitted by raceaudit ...]\n", dropped_bytes());
    }
    out += tail();
    return out;
}

}  // namespace raceaudit::stress
