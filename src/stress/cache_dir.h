#pragma once
// The cache directory outside any checkout where scripts/setup-free-threaded.sh
// builds the free-threaded CPython, resolved exactly as that script does.

#include <filesystem>

namespace raceaudit::stress {

// $RACEAUDIT_CACHE, else $XDG_CACHE_HOME/raceaudit, else $HOME/.cache/raceaudit
// (an empty variable counts as unset, like the shell's ${VAR:-...}). Empty
// when none of them is set.
std::filesystem::path cache_dir();

// The bin directory of the free-threaded build: cache_dir()/python3.13t/bin
// (empty when cache_dir() is). It need not exist.
std::filesystem::path free_threaded_bin_dir();

}  // namespace raceaudit::stress
