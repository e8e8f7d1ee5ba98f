#pragma once
// A private temporary directory (mkdtemp under $TMPDIR or /tmp) that is
// removed with everything in it when the object is destroyed.

#include <string>
#include <string_view>

namespace raceaudit::stress {

class TempDir {
public:
    // Throws std::runtime_error when the directory cannot be created.
    explicit TempDir(std::string_view prefix = "raceaudit-stress-");
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::string& path() const { return path_; }
    // path()/name
    std::string file(std::string_view name) const;
    // Writes `content` to path()/name and returns that path; throws on failure.
    std::string write_file(std::string_view name, std::string_view content) const;

private:
    std::string path_;
};

}  // namespace raceaudit::stress
