// Reads a Python source file into UTF-8 text, the way CPython would decode it:
// BOM, PEP 263 coding cookies, invalid bytes. Never throws on bad content.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace raceaudit {

struct SourceText {
  std::string text;                   // UTF-8, BOM removed
  std::vector<std::string> warnings;  // decoding problems, one line each
};

// Decodes raw file bytes. Invalid UTF-8 (with no coding cookie that explains it)
// is replaced by U+FFFD and reported; NUL bytes are replaced by spaces and reported.
SourceText decode_source(std::string bytes);

// The largest file read by default (the scan's default limit too).
inline constexpr uint64_t kMaxFileBytes = 256ull << 20;

// Reads a whole regular file of any path length. Returns false and sets
// `error` (one line) when it cannot. A file larger than `max_bytes` is
// refused (with `*too_large` set): by its size without reading it, and a
// special file that reports no size is read only up to the limit + 1 byte.
// Running out of memory is an error of this file, not an exception.
bool read_file(const std::string& path, std::string& bytes, std::string& error, uint64_t max_bytes = kMaxFileBytes,
               bool* too_large = nullptr);

// Converts a 1-based byte column on `line_text` to a 1-based character column.
unsigned byte_to_char_column(std::string_view line_text, unsigned byte_col);

// Returns line `line` (1-based) of `text`, without its line ending. Scans
// from the start: use LineIndex for many lookups in one text.
std::string_view line_of(std::string_view text, unsigned line);

// Line starts of a text, built in one pass: line lookups in O(1).
class LineIndex {
 public:
  explicit LineIndex(std::string_view text);
  std::string_view line(unsigned line) const;  // 1-based, without its line ending; "" past the end
  unsigned count() const { return static_cast<unsigned>(starts_.size()); }

 private:
  std::string_view text_;
  std::vector<size_t> starts_;
};

}  // namespace raceaudit
