// Replaces a file's contents in one step, as editors do: readers see the old
// file or the new one, never a half-written one.
#pragma once

#include <string>
#include <string_view>

namespace raceaudit {

// Writes `bytes` to a temporary file in `path`'s directory, flushes it, gives
// it the old file's permission bits and renames it over `path`. Refuses a
// path that is a symbolic link or not a regular file (its target may lie
// outside what was scanned). Returns false with `error` (one line) when it
// cannot; the temporary file is removed then.
bool replace_file(const std::string& path, std::string_view bytes, std::string& error);

}  // namespace raceaudit
