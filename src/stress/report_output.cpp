#include "stress/report_output.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

namespace raceaudit::stress {
namespace {

std::string reason(int error_number) {
    return error_number != 0 ? std::strerror(error_number) : std::string("write error");
}

bool report_failure(const std::string& where, int error_number, std::ostream& err) {
    err << "raceaudit: error: cannot write the report to " << where << ": " << reason(error_number) << '\n';
    return false;
}

}  // namespace

bool output_file_writable(const std::string& path, std::string* error) {
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            *error = fmt::format("cannot write {}: {}", path, std::strerror(EISDIR));
            return false;
        }
        if (::access(path.c_str(), W_OK) == 0) return true;
    } else if (errno == ENOENT) {
        std::string dir = std::filesystem::path(path).parent_path().string();
        if (dir.empty()) dir = ".";
        if (::access(dir.c_str(), W_OK | X_OK) == 0) return true;
    }
    *error = fmt::format("cannot write {}: {}", path, std::strerror(errno));
    return false;
}

bool emit_report(const std::string& path, std::ostream& out, std::ostream& err,
                 const std::function<void(std::ostream&)>& write) {
    if (path.empty()) {
        errno = 0;
        write(out);
        out.flush();
        if (!out) return report_failure("stdout", errno, err);
        return true;
    }
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    if (!file) return report_failure(path, errno, err);
    errno = 0;
    write(file);
    file.flush();
    if (file) file.close();
    if (!file) return report_failure(path, errno, err);
    return true;
}

}  // namespace raceaudit::stress
