#pragma once
// `raceaudit stress --list-pythons`: the interpreters found on this machine.

#include <ostream>

#include "stress/options.h"

namespace raceaudit::stress {

class SignalGuard;

// Finds, probes and prints the interpreters; returns the exit status (0, or
// 130 when interrupted).
int list_pythons(ReportFormat format, const SignalGuard& signals, std::ostream& out);

}  // namespace raceaudit::stress
