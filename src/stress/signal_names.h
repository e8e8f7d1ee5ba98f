#pragma once
// Names of POSIX signals as users know them ("SIGSEGV"), independent of the
// C library's locale-dependent strsignal().

#include <string>

namespace raceaudit::stress {

// "SIGSEGV" for SIGSEGV, "SIG<n>" for a number without a known name.
std::string signal_name(int signal_number);

}  // namespace raceaudit::stress
