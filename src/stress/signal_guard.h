#pragma once
// While a SignalGuard lives, SIGINT, SIGTERM, SIGHUP (the terminal went away)
// and SIGQUIT sent to raceaudit do not kill it: they are recorded (so that
// every child is killed and the report of what finished is written), and
// SIGCHLD as well as those signals wake up a
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
    // The first SIGINT, SIGTERM, SIGHUP or SIGQUIT received, or 0.
    int interrupt_signal() const;

private:
    struct sigaction old_[5]{};  // in the order of kHandledSignals
};

}  // namespace raceaudit::stress
