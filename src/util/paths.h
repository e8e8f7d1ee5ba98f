// File-system access for paths of any length, and printing of untrusted text.
#pragma once

#include <sys/stat.h>

#include <string>
#include <string_view>

namespace raceaudit {

// open(2) for a path of any length: a path longer than PATH_MAX is opened in
// pieces, each below PATH_MAX, with openat(2) relative to the directory
// before it. Returns the descriptor or -1 with errno set. O_CLOEXEC is added.
int open_path(const std::string& path, int flags);

// fstatat(2) for a path of any length (`flags` as for fstatat: 0 or
// AT_SYMLINK_NOFOLLOW). Returns 0 or -1 with errno set.
int stat_path(const std::string& path, struct stat& st, int flags);

// `s` made safe to print on a terminal or in a line-oriented log: control
// characters (C0, DEL, C1) become \n, \t, \r, \e, \xHH or \u00HH. Other
// bytes (UTF-8 text) are kept.
std::string escape_control(std::string_view s);

// A path as printed at the start of a line (text report, notes): escaped as
// above, and `./` put before a path that starts with `::`, which GitHub Actions
// would read as a workflow command.
std::string display_path(std::string_view path);

}  // namespace raceaudit
