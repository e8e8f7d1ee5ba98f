#pragma once
// While a SignalGuard lives, SIGINT and SIGTERM sent to raceaudit do not kill
// it: they are recorded, and SIGCHLD as well as those signals wake up a
// poll() on wake_fd() (self-pipe). The previous dispositions are restored
// when the guard is destroyed. Only one guard may exist at a time.

#include <csignal>

namespace raceaudit::stress {

class SignalGuard {
public:
    SignalGuard();
    ~SignalGuard();
    SignalGuard(const SignalGuard&) = delete;
    SignalGuard& operator=(const SignalGuard&) = delete;

    // Read end of the self-pipe; readable after any handled signal.
    int wake_fd() const;
    // Empties the self-pipe.
    void drain() const;
    // The first SIGINT or SIGTERM received, or 0.
    int interrupt_signal() const;

private:
    struct sigaction old_int_{};
    struct sigaction old_term_{};
    struct sigaction old_chld_{};
};

}  // namespace raceaudit::stress
