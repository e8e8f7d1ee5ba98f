// tree-sitter-python's external scanner takes time quadratic in a run of
// comment lines inside an indented block (it re-reads the comments on every
// line to decide on INDENT/DEDENT; 40,000 lines of `#` take 90 s). Lowering
// ignores comments, and suppression comments are read from the original
// text, so whole-line comments are blanked before parsing: same lines, same
// columns everywhere else.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace raceaudit {

// Calls f(start, end, whole_line) for each `#` comment of `text`, in order:
// its byte range without the newline, and whether only white space stands
// before it on its line. Strings (also triple-quoted ones) are skipped.
void for_each_comment(std::string_view text, const std::function<void(size_t, size_t, bool)>& f);

// The offsets of the lines of `text` that start inside a (triple-quoted)
// string: a fix that re-indents lines must leave those as they are.
std::vector<size_t> lines_inside_strings(std::string_view text);

// Returns `text` with every whole-line comment replaced by spaces, or "" when
// there is nothing to blank. Lines inside (multi-line) strings are kept.
std::string blank_comment_lines(std::string_view text);

}  // namespace raceaudit
