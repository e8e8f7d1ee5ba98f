#include "stress/temp_dir.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

namespace raceaudit::stress {

TempDir::TempDir(std::string_view prefix) {
    const char* base = std::getenv("TMPDIR");
    std::string templ = fmt::format("{}/{}XXXXXX", (base != nullptr && *base != '\0') ? base : "/tmp", prefix);
    std::vector<char> buffer(templ.begin(), templ.end());
    buffer.push_back('\0');
    if (::mkdtemp(buffer.data()) == nullptr) {
        throw std::runtime_error(fmt::format("cannot create a temporary directory {}: {}", templ, std::strerror(errno)));
    }
    path_ = buffer.data();
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

std::string TempDir::file(std::string_view name) const { return fmt::format("{}/{}", path_, name); }

std::string TempDir::write_file(std::string_view name, std::string_view content) const {
    const std::string p = file(name);
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.close();
    if (!out) throw std::runtime_error(fmt::format("cannot write {}", p));
    return p;
}

}  // namespace raceaudit::stress
