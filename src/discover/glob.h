// Glob patterns on slash-separated relative paths, with globstar: `*`, `?` and
// `[...]` never match a `/`; a `**` segment matches any number of whole
// segments, none included (`src/**/*.py` matches `src/m.py` and
// `src/a/b/m.py`). Built on fnmatch(3) per segment: libgit2's pathspecs let
// `*` cross `/` and give `**` no meaning of its own, so they cannot do this.
#pragma once

#include <string>
#include <string_view>

namespace raceaudit {

// Does `pattern` match all of `path` (both relative, no leading "./")?
bool glob_match(std::string_view pattern, std::string_view path);

// Does `pattern` match `path` or one of the directories it lies in
// (`gen` matches `gen/x.py`)?
bool glob_match_or_below(std::string_view pattern, std::string_view path);

}  // namespace raceaudit
