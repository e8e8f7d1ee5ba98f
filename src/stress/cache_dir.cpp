#include "stress/cache_dir.h"

#include <cstdlib>

namespace fs = std::filesystem;

namespace raceaudit::stress {
namespace {

const char* env(const char* name) {
    const char* value = std::getenv(name);
    return value != nullptr && *value != '\0' ? value : nullptr;
}

}  // namespace

fs::path cache_dir() {
    if (const char* dir = env("RACEAUDIT_CACHE")) return dir;
    if (const char* xdg = env("XDG_CACHE_HOME")) return fs::path(xdg) / "raceaudit";
    if (const char* home = env("HOME")) return fs::path(home) / ".cache" / "raceaudit";
    return {};
}

fs::path free_threaded_bin_dir() {
    const fs::path cache = cache_dir();
    return cache.empty() ? cache : cache / "python3.13t" / "bin";
}

}  // namespace raceaudit::stress
