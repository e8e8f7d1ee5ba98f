#include "cli_test_support.h"

#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <memory>
#include <spawn.h>
#include <sstream>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "stress/cache_dir.h"

extern char** environ;

namespace raceaudit::stress::testing {
namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

struct TempRoot {
    std::string path;
    TempRoot() {
        char templ[] = "/tmp/raceaudit-stress-test-XXXXXX";
        if (::mkdtemp(templ) == nullptr) std::abort();
        path = templ;
    }
    ~TempRoot() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
};

TempRoot& temp_root() {
    static TempRoot root;
    return root;
}

}  // namespace

std::string script(const std::string& name) { return std::string(STRESS_TEST_SCRIPTS) + "/" + name; }

std::string temp_dir() {
    static int counter = 0;
    const std::string dir = temp_root().path + "/" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
    std::filesystem::create_directories(dir);
    return dir;
}

namespace {

// Starts argv (argv[0] a path) with stdout to `stdout_path` (a fresh file
// when empty) and stderr to a fresh file.
CliProcess start_process(std::vector<std::string> argv, const std::string& stdout_path) {
    CliProcess p;
    const std::string dir = temp_dir();
    p.out_file = stdout_path.empty() ? dir + "/stdout" : stdout_path;
    p.err_file = dir + "/stderr";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, p.out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, p.err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    std::vector<char*> cargv;
    for (auto& a : argv) cargv.push_back(a.data());
    cargv.push_back(nullptr);
    const int rc = posix_spawn(&p.pid, argv[0].c_str(), &actions, nullptr, cargv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    EXPECT_EQ(rc, 0) << "cannot start " << argv[0] << ": " << std::strerror(rc);
    return p;
}

std::vector<std::string> raceaudit_argv(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {RACEAUDIT_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
}

}  // namespace

CliProcess start_raceaudit(const std::vector<std::string>& args) { return start_process(raceaudit_argv(args), ""); }

CliResult run_raceaudit_with_stdout(const std::string& stdout_path, const std::vector<std::string>& args) {
    CliProcess p = start_process(raceaudit_argv(args), stdout_path);
    p.out_file.clear();  // not read back: /dev/full reads as endless zeros
    return wait_raceaudit(p);
}

CliResult run_raceaudit_with_fd_limit(int max_fds, const std::vector<std::string>& args) {
    std::vector<std::string> argv = {"/bin/sh", "-c", "ulimit -n \"$0\" && exec \"$@\"", std::to_string(max_fds)};
    const auto ra = raceaudit_argv(args);
    argv.insert(argv.end(), ra.begin(), ra.end());
    return wait_raceaudit(start_process(argv, ""));
}

CliResult wait_raceaudit(const CliProcess& p) {
    CliResult r;
    int status = 0;
    struct rusage usage {};
    while (::wait4(p.pid, &status, 0, &usage) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
    r.max_rss_kib = usage.ru_maxrss;
    r.out = read_file(p.out_file);
    r.err = read_file(p.err_file);
    return r;
}

CliResult run_raceaudit(const std::vector<std::string>& args) { return wait_raceaudit(start_raceaudit(args)); }

nlohmann::json run_json(const std::vector<std::string>& args, int expected_exit_code) {
    // Right after "stress", so that it stays before any "--".
    std::vector<std::string> all = args;
    all.insert(all.begin() + (all.empty() ? 0 : 1), {"--format", "json"});
    const CliResult r = run_raceaudit(all);
    EXPECT_EQ(r.exit_code, expected_exit_code) << "stderr: " << r.err << "\nstdout: " << r.out;
    auto doc = nlohmann::json::parse(r.out, nullptr, false);
    EXPECT_FALSE(doc.is_discarded()) << "not JSON: " << r.out << "\nstderr: " << r.err;
    return doc;
}

int line_of(const std::string& file, const std::string& marker) {
    std::ifstream in(file);
    int n = 0;
    for (std::string line; std::getline(in, line);) {
        ++n;
        if (line.find(marker) != std::string::npos) return n;
    }
    ADD_FAILURE() << marker << " not found in " << file;
    return -1;
}

std::string base_name(const std::string& path) { return std::filesystem::path(path).filename().string(); }

bool process_gone(pid_t pid) {
    if (::kill(pid, 0) == 0) return false;
    return errno == ESRCH;
}

std::vector<pid_t> read_pids(const std::string& file) {
    std::vector<pid_t> pids;
    std::ifstream in(file);
    for (pid_t pid; in >> pid;) pids.push_back(pid);
    return pids;
}

std::string free_threaded_python() { return (free_threaded_bin_dir() / "python3.13t").string(); }

bool have_free_threaded_python() {
    const std::string path = free_threaded_python();
    return !free_threaded_bin_dir().empty() && ::access(path.c_str(), X_OK) == 0;
}

std::string free_threaded_skip_message() {
    return "no free-threaded CPython at " + free_threaded_python() +
           " (scripts/setup-free-threaded.sh builds it): the tests ran under python3 and pypy3 only";
}

std::vector<std::string> test_interpreters() {
    std::vector<std::string> pythons = {"python3", "pypy3"};
    if (have_free_threaded_python()) pythons.push_back(free_threaded_python());
    return pythons;
}

std::string interpreter_test_name(const ::testing::TestParamInfo<std::string>& info) {
    std::string name = base_name(info.param);  // "python3", or "python3.13t" for the cache's build
    for (char& c : name) {
        if (std::isalnum(static_cast<unsigned char>(c)) == 0) c = '_';
    }
    return name;
}

}  // namespace raceaudit::stress::testing
