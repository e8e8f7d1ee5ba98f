// How sure a finding is that its place is shared between threads.
#pragma once

#include <cstdint>
#include <string>

namespace raceaudit {

enum class Confidence : uint8_t { Low, Medium, High };
const char* to_string(Confidence c);
bool parse_confidence(const std::string& s, Confidence& out);

}  // namespace raceaudit
