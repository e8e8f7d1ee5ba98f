// A unified diff of two texts (what `scan --diff` prints), line by line,
// with three lines of context, as `diff -u` writes it.
#pragma once

#include <string>
#include <string_view>

namespace raceaudit {

// "" when the texts are equal. Both headers name `path` (`patch -p0` applies it).
std::string unified_diff(const std::string& path, std::string_view before, std::string_view after,
                         unsigned context = 3);

}  // namespace raceaudit
