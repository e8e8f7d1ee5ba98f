#include "stress/process.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <spawn.h>
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

// posix_spawn_file_actions_t / posix_spawnattr_t with automatic destruction.
struct SpawnSetup {
    posix_spawn_file_actions_t actions{};
    posix_spawnattr_t attr{};
    bool actions_ok = false;
    bool attr_ok = false;
    ~SpawnSetup() {
        if (actions_ok) posix_spawn_file_actions_destroy(&actions);
        if (attr_ok) posix_spawnattr_destroy(&attr);
    }
};

}  // namespace

bool spawn_child(const SpawnRequest& request, SpawnedChild* child, std::string* error) {
    if (request.argv.empty()) {
        *error = "empty command line";
        return false;
    }
    int out_pipe[2] = {-1, -1};
    int err_pipe[2] = {-1, -1};
    if (::pipe2(out_pipe, O_CLOEXEC) != 0 || ::pipe2(err_pipe, O_CLOEXEC) != 0) {
        *error = fmt::format("pipe: {}", std::strerror(errno));
        close_fd(out_pipe[0]);
        close_fd(out_pipe[1]);
        return false;
    }
    auto close_all = [&] {
        close_fd(out_pipe[0]);
        close_fd(out_pipe[1]);
        close_fd(err_pipe[0]);
        close_fd(err_pipe[1]);
    };

    SpawnSetup setup;
    int rc = posix_spawn_file_actions_init(&setup.actions);
    setup.actions_ok = rc == 0;
    if (rc == 0) rc = posix_spawnattr_init(&setup.attr);
    setup.attr_ok = setup.actions_ok && rc == 0;
    if (rc == 0) rc = posix_spawn_file_actions_addopen(&setup.actions, 0, "/dev/null", O_RDONLY, 0);
    // dup2 clears close-on-exec on the target descriptor; the pipe ends
    // themselves are close-on-exec, so no child inherits another's pipes.
    if (rc == 0) rc = posix_spawn_file_actions_adddup2(&setup.actions, out_pipe[1], 1);
    if (rc == 0) rc = posix_spawn_file_actions_adddup2(&setup.actions, err_pipe[1], 2);
    if (rc == 0) rc = posix_spawnattr_setpgroup(&setup.attr, 0);
    sigset_t empty_mask;
    sigemptyset(&empty_mask);
    if (rc == 0) rc = posix_spawnattr_setsigmask(&setup.attr, &empty_mask);
    sigset_t defaults;
    sigemptyset(&defaults);
    for (int sig : {SIGINT, SIGTERM, SIGCHLD, SIGPIPE, SIGHUP, SIGQUIT}) sigaddset(&defaults, sig);
    if (rc == 0) rc = posix_spawnattr_setsigdefault(&setup.attr, &defaults);
    short flags = POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
    if (rc == 0) rc = posix_spawnattr_setflags(&setup.attr, flags);
    if (rc != 0) {
        *error = fmt::format("posix_spawn setup: {}", std::strerror(rc));
        close_all();
        return false;
    }

    std::vector<char*> argv;
    argv.reserve(request.argv.size() + 1);
    for (const auto& a : request.argv) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    std::vector<char*> envp;
    envp.reserve(request.env.size() + 1);
    for (const auto& e : request.env) envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);

    pid_t pid = -1;
    rc = posix_spawn(&pid, request.argv[0].c_str(), &setup.actions, &setup.attr, argv.data(), envp.data());
    close_fd(out_pipe[1]);
    close_fd(err_pipe[1]);
    if (rc != 0) {
        *error = fmt::format("cannot run {}: {}", request.argv[0], std::strerror(rc));
        close_all();
        return false;
    }
    set_nonblocking(out_pipe[0]);
    set_nonblocking(err_pipe[0]);
    child->pid = pid;
    child->stdout_fd = out_pipe[0];
    child->stderr_fd = err_pipe[0];
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
