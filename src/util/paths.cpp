#include "util/paths.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <climits>

namespace raceaudit {
namespace {

// Where to cut `path` (from `from`) so that the piece is shorter than PATH_MAX:
// the last '/' before the limit, or npos when there is none.
size_t cut_point(const std::string& path, size_t from) {
  const size_t limit = from + PATH_MAX - 1;
  if (path.size() < limit) return std::string::npos;
  const size_t slash = path.rfind('/', limit);
  return slash == std::string::npos || slash <= from ? std::string::npos : slash;
}

// Opens the directory that holds the last piece of a long `path` and sets
// `rest` to what is left after it (shorter than PATH_MAX). Returns the
// descriptor (AT_FDCWD when the path is short) or -1.
int open_parent_of_rest(const std::string& path, std::string& rest) {
  int dir = AT_FDCWD;
  size_t from = 0;
  for (size_t cut = cut_point(path, from); cut != std::string::npos; cut = cut_point(path, from)) {
    std::string piece = path.substr(from, cut - from);
    if (piece.empty()) piece = "/";
    const int next = ::openat(dir, piece.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOCTTY);
    const int saved = errno;
    if (dir != AT_FDCWD) ::close(dir);
    if (next < 0) {
      errno = saved;
      return -1;
    }
    dir = next;
    from = cut + 1;
  }
  rest = path.substr(from);
  if (rest.empty()) rest = ".";
  return dir;
}

}  // namespace

int open_path(const std::string& path, int flags) {
  if (path.size() < PATH_MAX) return ::open(path.c_str(), flags | O_CLOEXEC);
  std::string rest;
  const int dir = open_parent_of_rest(path, rest);
  if (dir == -1) return -1;
  const int fd = ::openat(dir, rest.c_str(), flags | O_CLOEXEC);
  const int saved = errno;
  if (dir != AT_FDCWD) ::close(dir);
  errno = saved;
  return fd;
}

int stat_path(const std::string& path, struct stat& st, int flags) {
  if (path.size() < PATH_MAX) return ::fstatat(AT_FDCWD, path.c_str(), &st, flags);
  std::string rest;
  const int dir = open_parent_of_rest(path, rest);
  if (dir == -1) return -1;
  const int r = ::fstatat(dir, rest.c_str(), &st, flags);
  const int saved = errno;
  if (dir != AT_FDCWD) ::close(dir);
  errno = saved;
  return r;
}

std::string escape_control(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  static const char hex[] = "0123456789abcdef";
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    // C1 controls are U+0080..U+009F: the UTF-8 bytes C2 80 .. C2 9F.
    if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
        static_cast<unsigned char>(s[i + 1]) <= 0x9F) {
      const auto d = static_cast<unsigned char>(s[++i]);
      out += "\\u00";
      out += hex[d >> 4];
      out += hex[d & 15];
      continue;
    }
    if (c >= 0x20 && c != 0x7F) {
      out += static_cast<char>(c);
      continue;
    }
    switch (c) {
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case 0x1B: out += "\\e"; break;
      default:
        out += "\\x";
        out += hex[c >> 4];
        out += hex[c & 15];
    }
  }
  return out;
}

std::string display_path(std::string_view path) {
  std::string out = escape_control(path);
  if (out.compare(0, 2, "::") == 0) out.insert(0, "./");
  return out;
}

}  // namespace raceaudit
