// The free-threaded build of scripts/setup-free-threaded.sh is found in the
// cache directory, resolved from the same variables as the script.
#include "stress/cache_dir.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "stress/interpreter.h"

namespace fs = std::filesystem;

namespace raceaudit::stress {
namespace {

// Sets (or unsets) an environment variable for the life of the object.
class ScopedEnv {
public:
    ScopedEnv(const char* name, std::optional<std::string> value) : name_(name) {
        if (const char* old = std::getenv(name)) old_ = old;
        set(value);
    }
    ~ScopedEnv() { set(old_); }
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
    void set(const std::optional<std::string>& value) {
        if (value) {
            ::setenv(name_, value->c_str(), 1);
        } else {
            ::unsetenv(name_);
        }
    }
    const char* name_;
    std::optional<std::string> old_;
};

std::string make_temp_dir() {
    std::string pattern = (fs::temp_directory_path() / "raceaudit-cache-test.XXXXXX").string();
    const char* dir = ::mkdtemp(pattern.data());
    return dir != nullptr ? dir : "";
}

TEST(CacheDir, ResolvedLikeTheSetupScript) {
    ScopedEnv cache("RACEAUDIT_CACHE", std::nullopt);
    ScopedEnv xdg("XDG_CACHE_HOME", std::nullopt);
    ScopedEnv home("HOME", "/home/someone");
    EXPECT_EQ(cache_dir(), fs::path("/home/someone/.cache/raceaudit"));
    {
        ScopedEnv empty_xdg("XDG_CACHE_HOME", "");  // empty counts as unset, like ${VAR:-...}
        EXPECT_EQ(cache_dir(), fs::path("/home/someone/.cache/raceaudit"));
    }
    ScopedEnv set_xdg("XDG_CACHE_HOME", "/var/cache/me");
    EXPECT_EQ(cache_dir(), fs::path("/var/cache/me/raceaudit"));
    ScopedEnv set_cache("RACEAUDIT_CACHE", "/tmp/ra");
    EXPECT_EQ(cache_dir(), fs::path("/tmp/ra"));
    EXPECT_EQ(free_threaded_bin_dir(), fs::path("/tmp/ra/python3.13t/bin"));
}

TEST(CacheDir, EmptyWithoutAnyVariable) {
    ScopedEnv cache("RACEAUDIT_CACHE", std::nullopt);
    ScopedEnv xdg("XDG_CACHE_HOME", std::nullopt);
    ScopedEnv home("HOME", std::nullopt);
    EXPECT_TRUE(cache_dir().empty());
    EXPECT_TRUE(free_threaded_bin_dir().empty());
}

TEST(CacheDir, FreeThreadedBuildInTheCacheIsACandidate) {
    const std::string dir = make_temp_dir();
    ASSERT_FALSE(dir.empty());
    const fs::path bin = fs::path(dir) / "python3.13t" / "bin";
    fs::create_directories(bin);
    const std::string python = (bin / "python3.13t").string();
    std::ofstream(python) << "#!/bin/sh\nexit 0\n";
    ASSERT_EQ(::chmod(python.c_str(), 0755), 0);
    std::ofstream(bin / "idle3.13t") << "not an interpreter\n";

    ScopedEnv cache("RACEAUDIT_CACHE", dir);
    ScopedEnv path("PATH", "/nonexistent-raceaudit-path");  // only the cache can supply it
    const auto candidates = find_candidates();
    const bool found = std::any_of(candidates.begin(), candidates.end(),
                                   [&](const Candidate& c) { return c.path == python && c.name == python; });
    EXPECT_TRUE(found) << "no candidate " << python;
    EXPECT_EQ(std::count_if(candidates.begin(), candidates.end(),
                            [&](const Candidate& c) { return c.path.find(dir) == 0; }),
              1);
    const auto located = locate("python3.13t");
    EXPECT_NE(std::find(located.begin(), located.end(), python), located.end());
    fs::remove_all(dir);
}

}  // namespace
}  // namespace raceaudit::stress
