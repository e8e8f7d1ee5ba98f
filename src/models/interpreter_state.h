// Containers of the interpreter itself that it mutates on whatever thread runs
// the triggering code, with no line of the project's to point at: `sys.modules`
// gains an entry whenever any thread imports a module for the first time.
// Python's documentation of sys.modules: "If you want to iterate over this
// global dictionary always use sys.modules.copy() or tuple(sys.modules) to
// avoid exceptions as its size may change during iteration as a side effect of
// code or activity in other threads."
#pragma once

#include <string_view>

namespace raceaudit {

// For a module global of the standard library by its qualified name
// ("sys.modules"): what mutates it implicitly, as a clause for a message
// ("any thread's first import of a module adds it"); "" when nothing does.
std::string_view implicit_mutator(std::string_view qualified_global);

}  // namespace raceaudit
