#include "util/source_text.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <new>

#include "util/paths.h"

namespace raceaudit {
namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 when invalid.
size_t utf8_sequence_length(const std::string& s, size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return 1;
  size_t n;
  uint32_t cp;
  if ((c & 0xE0) == 0xC0) { n = 2; cp = c & 0x1F; }
  else if ((c & 0xF0) == 0xE0) { n = 3; cp = c & 0x0F; }
  else if ((c & 0xF8) == 0xF0) { n = 4; cp = c & 0x07; }
  else return 0;
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    const auto d = static_cast<unsigned char>(s[i + k]);
    if ((d & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (d & 0x3F);
  }
  if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
      (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;
  return n;
}

// PEP 263: a coding cookie on line 1 or 2, `coding[:=]\s*([-\w.]+)`.
std::string coding_cookie(const std::string& s) {
  size_t pos = 0;
  for (int line = 0; line < 2 && pos < s.size(); ++line) {
    size_t end = s.find('\n', pos);
    if (end == std::string::npos) end = s.size();
    std::string_view l(s.data() + pos, end - pos);
    size_t first = l.find_first_not_of(" \t\f");
    if (first != std::string_view::npos && l[first] == '#') {
      size_t c = l.find("coding");
      if (c != std::string_view::npos && c + 6 < l.size() && (l[c + 6] == ':' || l[c + 6] == '=')) {
        size_t v = c + 7;
        while (v < l.size() && (l[v] == ' ' || l[v] == '\t')) ++v;
        std::string name;
        while (v < l.size() && (std::isalnum(static_cast<unsigned char>(l[v])) || l[v] == '-' || l[v] == '_' || l[v] == '.'))
          name += static_cast<char>(std::tolower(static_cast<unsigned char>(l[v++])));
        return name;
      }
    } else if (first != std::string_view::npos) {
      break;  // a cookie only counts before any code
    }
    pos = end + 1;
  }
  return {};
}

bool is_latin1_name(const std::string& n) {
  return n == "latin-1" || n == "latin1" || n == "iso-8859-1" || n == "iso8859-1" || n == "l1" ||
         n == "iso-latin-1" || n.rfind("latin-1-", 0) == 0 || n.rfind("iso-8859-1-", 0) == 0 ||
         n == "cp1252" || n == "windows-1252";
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace

SourceText decode_source(std::string bytes) {
  SourceText out;
  if (bytes.size() >= 3 && bytes.compare(0, 3, "\xEF\xBB\xBF") == 0) bytes.erase(0, 3);

  const std::string cookie = coding_cookie(bytes);
  if (!cookie.empty() && is_latin1_name(cookie)) {
    out.text.reserve(bytes.size());
    for (unsigned char c : bytes) append_utf8(out.text, c);
  } else {
    if (!cookie.empty() && cookie != "utf-8" && cookie != "utf8" && cookie.rfind("utf-8-", 0) != 0 &&
        cookie != "ascii" && cookie != "us-ascii")
      out.warnings.push_back("unsupported source encoding '" + cookie + "'; read as UTF-8");
    // Fast path: valid UTF-8 (nearly every file) is taken over as it is.
    size_t i = 0;
    while (i < bytes.size()) {
      if (i + 8 <= bytes.size()) {
        uint64_t word;
        std::memcpy(&word, bytes.data() + i, 8);
        if ((word & 0x8080808080808080ull) == 0) {
          i += 8;
          continue;
        }
      }
      const size_t n = utf8_sequence_length(bytes, i);
      if (n == 0) break;
      i += n;
    }
    const bool valid = i == bytes.size();
    size_t bad = 0, first_bad_line = 0, line = 1;
    if (valid) {
      out.text = std::move(bytes);
      bytes.clear();
    } else {
      out.text.reserve(bytes.size());
    }
    i = 0;
    while (i < bytes.size()) {
      const size_t n = utf8_sequence_length(bytes, i);
      if (n == 0) {
        if (bad++ == 0) first_bad_line = line;
        out.text += "\xEF\xBF\xBD";
        ++i;
        continue;
      }
      if (bytes[i] == '\n') ++line;
      out.text.append(bytes, i, n);
      i += n;
    }
    if (bad)
      out.warnings.push_back("invalid UTF-8 (" + std::to_string(bad) + " byte(s), first on line " +
                             std::to_string(first_bad_line) + "); replaced by U+FFFD");
  }
  // Python reads a lone CR as a line end; tree-sitter counts only LF.
  for (size_t i = out.text.find('\r'); i != std::string::npos; i = out.text.find('\r', i + 1))
    if (i + 1 == out.text.size() || out.text[i + 1] != '\n') out.text[i] = '\n';
  const size_t nuls = out.text.find('\0') == std::string::npos
                          ? 0
                          : static_cast<size_t>(std::count(out.text.begin(), out.text.end(), '\0'));
  if (nuls) {
    std::replace(out.text.begin(), out.text.end(), '\0', ' ');
    out.warnings.push_back("source contains " + std::to_string(nuls) + " NUL byte(s); read as spaces");
  }
  return out;
}

bool read_file(const std::string& path, std::string& bytes, std::string& error, uint64_t max_bytes,
               bool* too_large) {
  if (too_large) *too_large = false;
  auto refuse = [&] {
    error = "file is larger than " + std::to_string(max_bytes >> 20) + " MiB";
    if (too_large) *too_large = true;
    bytes.clear();
    bytes.shrink_to_fit();
    return false;
  };
  // O_NONBLOCK so that a FIFO without a writer cannot block the scan.
  const int fd = open_path(path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) {
    error = std::strerror(errno);
    return false;
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    error = S_ISDIR(st.st_mode) ? "is a directory" : "not a regular file";
    return false;
  }
  // The size first: a (sparse) file above the limit is not read at all. Files
  // of /proc and /sys report no size or a wrong one, so the read itself stops
  // at the limit + 1 byte too.
  if (static_cast<uint64_t>(st.st_size) > max_bytes) return refuse();
  try {
    bytes.clear();
    const uint64_t cap = max_bytes == UINT64_MAX ? max_bytes : max_bytes + 1;
    bytes.resize(static_cast<size_t>(std::min<uint64_t>(static_cast<uint64_t>(st.st_size) + 1, cap)));
    size_t got = 0;
    for (;;) {
      if (got == bytes.size()) {
        if (got >= cap) break;
        bytes.resize(static_cast<size_t>(std::min<uint64_t>(cap, bytes.size() * 2 + 65536)));
      }
      const ssize_t r = ::read(fd, bytes.data() + got, bytes.size() - got);
      if (r < 0) {
        if (errno == EINTR) continue;
        error = std::strerror(errno);
        return false;
      }
      if (r == 0) break;
      got += static_cast<size_t>(r);
    }
    if (got > max_bytes) return refuse();
    bytes.resize(got);
  } catch (const std::bad_alloc&) {
    bytes.clear();
    bytes.shrink_to_fit();
    error = "not enough memory to read it";
    return false;
  }
  return true;
}

unsigned byte_to_char_column(std::string_view line_text, unsigned byte_col) {
  unsigned chars = 1;
  for (size_t i = 0; i + 1 < byte_col && i < line_text.size(); ++i)
    if ((static_cast<unsigned char>(line_text[i]) & 0xC0) != 0x80) ++chars;
  return chars;
}

std::string_view line_of(std::string_view text, unsigned line) {
  size_t pos = 0;
  for (unsigned l = 1; l < line; ++l) {
    pos = text.find('\n', pos);
    if (pos == std::string_view::npos) return {};
    ++pos;
  }
  size_t end = text.find('\n', pos);
  if (end == std::string_view::npos) end = text.size();
  if (end > pos && text[end - 1] == '\r') --end;
  return text.substr(pos, end - pos);
}

LineIndex::LineIndex(std::string_view text) : text_(text) {
  starts_.push_back(0);
  for (size_t pos = text.find('\n'); pos != std::string_view::npos; pos = text.find('\n', pos + 1))
    starts_.push_back(pos + 1);
}

std::string_view LineIndex::line(unsigned line) const {
  if (line == 0 || line > starts_.size()) return {};
  const size_t b = starts_[line - 1];
  size_t e = line < starts_.size() ? starts_[line] - 1 : text_.size();
  if (e > b && text_[e - 1] == '\r') --e;
  return text_.substr(b, e - b);
}

}  // namespace raceaudit
