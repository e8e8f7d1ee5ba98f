#include "stress/process_pool.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <memory>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include "stress/signal_guard.h"

namespace raceaudit::stress {
namespace {

using Clock = std::chrono::steady_clock;

// How long output is still collected after the group leader exited (the rest
// of the group is SIGKILLed then, so pipes normally close at once; this only
// matters for a descendant that left the process group and kept the pipe).
constexpr auto kDrainAfterExit = std::chrono::milliseconds(1000);
// Upper bound on a single poll() wait, in case a SIGCHLD wake-up is lost.
constexpr auto kMaxPollWait = std::chrono::milliseconds(250);
// Bytes read from one pipe per loop iteration, so that one child flooding
// its pipe cannot starve the others.
constexpr std::size_t kReadBudget = 1 << 20;

// Timeouts beyond this (about 31 years) are taken as this: a longer one
// would overflow the clock's 64-bit nanoseconds (--timeout 1e10 did) and
// put the deadline in the past.
constexpr double kMaxSeconds = 1e9;

Clock::duration seconds(double s) {
    const double bounded = s > kMaxSeconds ? kMaxSeconds : (s > 0.0 ? s : 0.0);
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(bounded));
}

struct Running {
    std::size_t index = 0;
    pid_t pid = -1;
    int fds[2] = {-1, -1};  // stdout, stderr
    Clock::time_point start;
    Clock::time_point deadline;
    Clock::time_point kill_at;
    Clock::time_point exited_at;
    Clock::duration grace{};
    bool term_sent = false;
    bool kill_sent = false;
    bool reaped = false;
    ProcessResult result;

    bool pipes_open() const { return fds[0] >= 0 || fds[1] >= 0; }
    void close_pipes() {
        for (int& fd : fds) {
            if (fd >= 0) ::close(fd);
            fd = -1;
        }
    }
};

void read_pipe(Running& r, int which) {
    int& fd = r.fds[which];
    CaptureBuffer& buffer = which == 0 ? r.result.out : r.result.err;
    char chunk[64 * 1024];
    std::size_t budget = kReadBudget;
    while (fd >= 0 && budget > 0) {
        const ssize_t n = ::read(fd, chunk, sizeof chunk);
        if (n > 0) {
            buffer.append(std::string_view(chunk, static_cast<std::size_t>(n)));
            budget -= std::min(budget, static_cast<std::size_t>(n));
        } else if (n == 0) {
            ::close(fd);
            fd = -1;
        } else if (errno == EINTR) {
            continue;
        } else {
            if (errno != EAGAIN && errno != EWOULDBLOCK) {
                ::close(fd);
                fd = -1;
            }
            break;
        }
    }
}

void record_status(ProcessResult& result, int status) {
    if (WIFEXITED(status)) {
        result.exited = true;
        result.exit_code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        result.signaled = true;
        result.term_signal = WTERMSIG(status);
    }
}

class Pool {
public:
    Pool(std::size_t count, const SpecSource& spec_at, int jobs, const SignalGuard& signals,
         const FinishCallback& on_finish, bool stop_after_start_failure)
        : count_(count),
          spec_at_(spec_at),
          jobs_(std::max(1, jobs)),
          signals_(signals),
          on_finish_(on_finish),
          stop_after_start_failure_(stop_after_start_failure) {}

    PoolSummary run() {
        become_child_subreaper();
        while (true) {
            if (signals_.interrupt_signal() != 0) break;
            start_more();
            if (running_.empty()) break;
            wait_for_events();
            signals_.drain();
            reap();
            enforce_timeouts();
            finish_completed();
        }
        summary_.interrupt_signal = signals_.interrupt_signal();
        if (summary_.interrupt_signal != 0) kill_all();
        end_descendants();
        return summary_;
    }

private:
    void start_more() {
        while (running_.size() < static_cast<std::size_t>(jobs_) && next_ < count_ && !summary_.start_failed) {
            const std::size_t index = next_++;
            const ProcessSpec spec = spec_at_(index);
            auto r = std::make_unique<Running>();
            r->index = index;
            r->result.out = CaptureBuffer(spec.capture_limit);
            r->result.err = CaptureBuffer(spec.capture_limit);
            SpawnedChild child;
            std::string error;
            if (!spawn_child(spec.request, &child, &error)) {
                r->result.spawn_error = error;
                on_finish_(index, std::move(r->result));
                ++summary_.finished;
                summary_.start_failed = stop_after_start_failure_;
                continue;
            }
            r->result.started = true;
            r->pid = child.pid;
            r->fds[0] = child.stdout_fd;
            r->fds[1] = child.stderr_fd;
            r->start = Clock::now();
            r->deadline = r->start + seconds(spec.timeout_s);
            r->grace = seconds(spec.kill_grace_s);
            running_.push_back(std::move(r));
        }
    }

    void wait_for_events() {
        std::vector<pollfd> fds;
        std::vector<std::pair<Running*, int>> owners;
        fds.push_back({signals_.wake_fd(), POLLIN, 0});
        owners.emplace_back(nullptr, -1);
        auto now = Clock::now();
        auto wake = now + kMaxPollWait;
        for (auto& r : running_) {
            for (int which = 0; which < 2; ++which) {
                if (r->fds[which] >= 0) {
                    fds.push_back({r->fds[which], POLLIN, 0});
                    owners.emplace_back(r.get(), which);
                }
            }
            if (!r->reaped) {
                wake = std::min(wake, r->term_sent ? r->kill_at : r->deadline);
            } else {
                wake = std::min(wake, r->exited_at + kDrainAfterExit);
            }
        }
        const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(wake - now).count();
        const int timeout_ms = static_cast<int>(std::max<long long>(0, wait) + (wake > now ? 1 : 0));
        const int n = ::poll(fds.data(), fds.size(), timeout_ms);
        if (n <= 0) return;  // timeout or EINTR: the caller re-checks everything
        for (std::size_t i = 1; i < fds.size(); ++i) {
            if (fds[i].revents != 0) read_pipe(*owners[i].first, owners[i].second);
        }
    }

    Running* find(pid_t pid) {
        for (auto& r : running_) {
            if (r->pid == pid && !r->reaped) return r.get();
        }
        return nullptr;
    }

    void leader_exited(Running& r, int status) {
        record_status(r.result, status);
        r.reaped = true;
        r.exited_at = Clock::now();
        r.result.duration_s = std::chrono::duration<double>(r.exited_at - r.start).count();
    }

    // Collects every exited child. A group leader is first only looked at
    // (WNOWAIT): while it is an unreaped zombie its pid, and so its process
    // group id, cannot be reused, which makes killing the rest of the group
    // safe. Children we do not track are grandchildren re-parented to us.
    void reap() {
        while (true) {
            siginfo_t info{};
            if (::waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) != 0) {
                if (errno == EINTR) continue;
                return;
            }
            if (info.si_pid == 0) return;
            const pid_t pid = info.si_pid;
            Running* r = find(pid);
            if (r != nullptr) signal_group(pid, SIGKILL);
            int status = 0;
            while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
            }
            if (r != nullptr) leader_exited(*r, status);
        }
    }

    void enforce_timeouts() {
        const auto now = Clock::now();
        for (auto& r : running_) {
            if (r->reaped) continue;
            if (!r->term_sent && now >= r->deadline) {
                r->result.timed_out = true;
                r->term_sent = true;
                r->kill_at = now + r->grace;
                signal_group(r->pid, SIGTERM);
            } else if (r->term_sent && !r->kill_sent && now >= r->kill_at) {
                r->kill_sent = true;
                signal_group(r->pid, SIGKILL);
            }
        }
    }

    void finish_completed() {
        const auto now = Clock::now();
        for (auto it = running_.begin(); it != running_.end();) {
            Running& r = **it;
            if (r.reaped && (!r.pipes_open() || now >= r.exited_at + kDrainAfterExit)) {
                for (int which = 0; which < 2; ++which) {
                    if (r.fds[which] >= 0) read_pipe(r, which);
                }
                r.close_pipes();
                on_finish_(r.index, std::move(r.result));
                ++summary_.finished;
                it = running_.erase(it);
            } else {
                ++it;
            }
        }
    }

    void kill_all() {
        for (auto& r : running_) {
            if (!r->reaped) signal_group(r->pid, SIGKILL);
        }
        for (auto& r : running_) {
            if (!r->reaped) {
                int status = 0;
                while (::waitpid(r->pid, &status, 0) < 0 && errno == EINTR) {
                }
                leader_exited(*r, status);
            }
            r->close_pipes();
            r->result.interrupted = true;
            on_finish_(r->index, std::move(r->result));
        }
        running_.clear();
    }

    // Kills and reaps what is left. Every run leader is reaped by now, so any
    // child of ours is a descendant re-parented to us (we are a subreaper):
    // one dying from the SIGKILL sent to its group, or one that left the
    // group with setsid or setpgid and would outlive us. Killing one can
    // re-parent its own children to us, hence the loop, bounded in time.
    static void end_descendants() {
        const auto until = Clock::now() + std::chrono::seconds(2);
        while (Clock::now() < until) {
            pid_t pid = 0;
            while ((pid = ::waitpid(-1, nullptr, WNOHANG)) > 0 || (pid < 0 && errno == EINTR)) {
            }
            if (pid < 0) return;  // ECHILD: nothing left
            for (pid_t child : child_pids()) ::kill(child, SIGKILL);
            ::usleep(5000);
        }
    }

    std::size_t count_;
    const SpecSource& spec_at_;
    int jobs_;
    const SignalGuard& signals_;
    const FinishCallback& on_finish_;
    bool stop_after_start_failure_;
    std::vector<std::unique_ptr<Running>> running_;
    std::size_t next_ = 0;
    PoolSummary summary_;
};

}  // namespace

PoolSummary run_processes(std::size_t count, const SpecSource& spec_at, int jobs, const SignalGuard& signals,
                          const FinishCallback& on_finish, bool stop_after_start_failure) {
    return Pool(count, spec_at, jobs, signals, on_finish, stop_after_start_failure).run();
}

PoolSummary run_processes(const std::vector<ProcessSpec>& specs, int jobs, const SignalGuard& signals,
                          const FinishCallback& on_finish) {
    const SpecSource spec_at = [&specs](std::size_t i) { return specs[i]; };
    return run_processes(specs.size(), spec_at, jobs, signals, on_finish);
}

}  // namespace raceaudit::stress
