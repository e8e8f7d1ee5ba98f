#include "stress/signal_guard.h"

#include <cerrno>
#include <fcntl.h>
#include <iterator>
#include <stdexcept>
#include <unistd.h>

namespace raceaudit::stress {
namespace {

int g_wake_pipe[2] = {-1, -1};
volatile sig_atomic_t g_interrupt = 0;
volatile sig_atomic_t g_guard_alive = 0;

constexpr int kHandledSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD};

bool is_interrupt(int sig) { return sig == SIGINT || sig == SIGTERM || sig == SIGHUP || sig == SIGQUIT; }

extern "C" void on_signal(int sig) {
    const int saved_errno = errno;
    if (is_interrupt(sig) && g_interrupt == 0) g_interrupt = sig;
    if (g_wake_pipe[1] >= 0) {
        const char byte = 1;
        [[maybe_unused]] ssize_t n = ::write(g_wake_pipe[1], &byte, 1);
    }
    errno = saved_errno;
}

void install(int sig, struct sigaction* old) {
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART | (sig == SIGCHLD ? SA_NOCLDSTOP : 0);
    ::sigaction(sig, &sa, old);
}

}  // namespace

SignalGuard::SignalGuard() {
    if (g_guard_alive) throw std::logic_error("SignalGuard: only one instance at a time");
    if (::pipe2(g_wake_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
        throw std::runtime_error("SignalGuard: cannot create self-pipe");
    }
    g_guard_alive = 1;
    g_interrupt = 0;
    static_assert(std::size(kHandledSignals) == sizeof old_ / sizeof old_[0]);
    for (std::size_t i = 0; i < std::size(kHandledSignals); ++i) install(kHandledSignals[i], &old_[i]);
}

SignalGuard::~SignalGuard() {
    for (std::size_t i = 0; i < std::size(kHandledSignals); ++i) ::sigaction(kHandledSignals[i], &old_[i], nullptr);
    const int r = g_wake_pipe[0];
    const int w = g_wake_pipe[1];
    g_wake_pipe[1] = -1;
    g_wake_pipe[0] = -1;
    ::close(w);
    ::close(r);
    g_guard_alive = 0;
}

int SignalGuard::wake_fd() const { return g_wake_pipe[0]; }

void SignalGuard::drain() const {
    char buf[256];
    while (::read(g_wake_pipe[0], buf, sizeof buf) > 0) {
    }
}

int SignalGuard::interrupt_signal() const { return static_cast<int>(g_interrupt); }

}  // namespace raceaudit::stress
