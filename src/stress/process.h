#pragma once
// Starting one child process in its own process group, with stdout and stderr
// connected to pipes, and signalling that group. No waiting happens here; see
// process_pool.h for the loop that watches children.

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace raceaudit::stress {

struct SpawnRequest {
    std::vector<std::string> argv;  // argv[0] is an absolute or relative path, not searched in PATH
    std::vector<std::string> env;   // complete environment, "NAME=value"
};

struct SpawnedChild {
    pid_t pid = -1;         // also the process group id
    int stdout_fd = -1;     // read ends, non-blocking, close-on-exec
    int stderr_fd = -1;
};

// Starts the child with fork and execve: a new process group, an empty
// signal mask, default dispositions for the signals raceaudit handles, stdin
// from /dev/null, and (Linux) SIGKILL as its parent-death signal, so that it
// does not outlive raceaudit even when raceaudit is killed with SIGKILL.
// Returns false and sets *error on failure (also when the exec fails).
bool spawn_child(const SpawnRequest& request, SpawnedChild* child, std::string* error);

// kill(-pgid, sig); ESRCH (group already gone) is not an error.
void signal_group(pid_t pgid, int sig);

// Makes orphaned grandchildren of this process be re-parented to it (Linux
// PR_SET_CHILD_SUBREAPER), so that they can be reaped once their process
// group is killed instead of lingering as zombies. No-op elsewhere.
void become_child_subreaper();

// The pids of this process's children (Linux: from /proc; empty elsewhere),
// zombies included.
std::vector<pid_t> child_pids();

// The current environment as a list of "NAME=value" strings.
std::vector<std::string> current_environment();

// Sets (replaces or appends) NAME=value in an environment list.
void set_env(std::vector<std::string>& env, const std::string& name, const std::string& value);
// The value of NAME in an environment list, if set.
std::optional<std::string> find_env(const std::vector<std::string>& env, const std::string& name);

}  // namespace raceaudit::stress
