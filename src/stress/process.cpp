#include "stress/process.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <dirent.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <fmt/format.h>

extern char** environ;

namespace raceaudit::stress {
namespace {

void close_fd(int& fd) {
    if (fd >= 0) ::close(fd);
    fd = -1;
}

void set_nonblocking(int fd) {
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags >= 0) ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

// Everything the child needs, prepared before fork(): after it, the child
// only makes async-signal-safe calls.
struct ChildSetup {
    pid_t parent = -1;
    char* const* argv = nullptr;
    char* const* envp = nullptr;
    int out_fd = -1;     // write ends of the output pipes
    int err_fd = -1;
    int report_fd = -1;  // close-on-exec; gets errno when the exec fails
};

[[noreturn]] void child_failed(int report_fd) {
    const int error = errno;
    [[maybe_unused]] ssize_t n = ::write(report_fd, &error, sizeof error);
    ::_exit(127);
}

// dup2 that also works when the descriptor is already in place (dup2 then
// leaves close-on-exec set).
bool move_fd(int from, int to) {
    if (from == to) return ::fcntl(to, F_SETFD, 0) == 0;
    return ::dup2(from, to) == to;
}

[[noreturn]] void exec_child(const ChildSetup& s) {
    ::setpgid(0, 0);
#ifdef __linux__
    // Dies with raceaudit, even when raceaudit is killed with SIGKILL.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    if (::getppid() != s.parent) ::_exit(127);  // raceaudit died before the prctl
#endif
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    for (int sig : {SIGINT, SIGTERM, SIGCHLD, SIGPIPE, SIGHUP, SIGQUIT}) ::sigaction(sig, &dfl, nullptr);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    const int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (null_fd < 0 || !move_fd(null_fd, 0) || !move_fd(s.out_fd, 1) || !move_fd(s.err_fd, 2)) {
        child_failed(s.report_fd);
    }
    ::execve(s.argv[0], s.argv, s.envp);
    child_failed(s.report_fd);
}

std::vector<char*> c_strings(const std::vector<std::string>& strings) {
    std::vector<char*> out;
    out.reserve(strings.size() + 1);
    for (const auto& s : strings) out.push_back(const_cast<char*>(s.c_str()));
    out.push_back(nullptr);
    return out;
}

// The errno the child reported, or 0 when the exec succeeded (the pipe
// closed on exec without a word).
int read_child_report(int fd) {
    int error = 0;
    ssize_t n = 0;
    while ((n = ::read(fd, &error, sizeof error)) < 0 && errno == EINTR) {
    }
    return n == static_cast<ssize_t>(sizeof error) ? error : 0;
}

// The parent pid from /proc/PID/stat ("pid (comm) state ppid ..."), or -1.
pid_t parent_of(pid_t pid) {
    const std::string path = fmt::format("/proc/{}/stat", pid);
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    char buf[512];
    const ssize_t n = ::read(fd, buf, sizeof buf - 1);
    ::close(fd);
    if (n <= 0) return -1;
    buf[n] = '\0';
    const char* paren = std::strrchr(buf, ')');
    if (paren == nullptr) return -1;
    char state = 0;
    int ppid = -1;
    return std::sscanf(paren + 1, " %c %d", &state, &ppid) == 2 ? static_cast<pid_t>(ppid) : -1;
}

}  // namespace

bool spawn_child(const SpawnRequest& request, SpawnedChild* child, std::string* error) {
    if (request.argv.empty()) {
        *error = "empty command line";
        return false;
    }
    int pipes[3][2] = {{-1, -1}, {-1, -1}, {-1, -1}};  // stdout, stderr, exec report
    auto close_all = [&] {
        for (auto& p : pipes) {
            close_fd(p[0]);
            close_fd(p[1]);
        }
    };
    for (auto& p : pipes) {
        if (::pipe2(p, O_CLOEXEC) != 0) {
            *error = fmt::format("pipe: {}", std::strerror(errno));
            close_all();
            return false;
        }
    }
    const auto argv = c_strings(request.argv);
    const auto envp = c_strings(request.env);
    const ChildSetup setup{::getpid(), argv.data(), envp.data(), pipes[0][1], pipes[1][1], pipes[2][1]};
    const pid_t pid = ::fork();
    if (pid == 0) exec_child(setup);
    if (pid < 0) {
        *error = fmt::format("fork: {}", std::strerror(errno));
        close_all();
        return false;
    }
    ::setpgid(pid, pid);  // also here, so that the group exists before we may signal it
    for (auto& p : pipes) close_fd(p[1]);
    const int exec_error = read_child_report(pipes[2][0]);
    close_fd(pipes[2][0]);
    if (exec_error != 0) {
        while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
        }
        *error = fmt::format("cannot run {}: {}", request.argv[0], std::strerror(exec_error));
        close_all();
        return false;
    }
    set_nonblocking(pipes[0][0]);
    set_nonblocking(pipes[1][0]);
    child->pid = pid;
    child->stdout_fd = pipes[0][0];
    child->stderr_fd = pipes[1][0];
    return true;
}

void signal_group(pid_t pgid, int sig) {
    if (pgid > 1) ::kill(-pgid, sig);
}

void become_child_subreaper() {
#ifdef __linux__
    ::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
#endif
}

std::vector<pid_t> child_pids() {
    std::vector<pid_t> pids;
#ifdef __linux__
    const pid_t self = ::getpid();
    DIR* proc = ::opendir("/proc");
    if (proc == nullptr) return pids;
    while (const dirent* entry = ::readdir(proc)) {
        char* end = nullptr;
        const long pid = std::strtol(entry->d_name, &end, 10);
        if (pid <= 0 || *end != '\0') continue;
        if (parent_of(static_cast<pid_t>(pid)) == self) pids.push_back(static_cast<pid_t>(pid));
    }
    ::closedir(proc);
#endif
    return pids;
}

std::vector<std::string> current_environment() {
    std::vector<std::string> env;
    for (char** e = environ; e != nullptr && *e != nullptr; ++e) env.emplace_back(*e);
    return env;
}

void set_env(std::vector<std::string>& env, const std::string& name, const std::string& value) {
    const std::string prefix = name + "=";
    for (auto& entry : env) {
        if (entry.compare(0, prefix.size(), prefix) == 0) {
            entry = prefix + value;
            return;
        }
    }
    env.push_back(prefix + value);
}

std::optional<std::string> find_env(const std::vector<std::string>& env, const std::string& name) {
    const std::string prefix = name + "=";
    for (const auto& entry : env) {
        if (entry.compare(0, prefix.size(), prefix) == 0) return entry.substr(prefix.size());
    }
    return std::nullopt;
}

}  // namespace raceaudit::stress
