#include "diag/confidence.h"

namespace raceaudit {

const char* to_string(Confidence c) {
  switch (c) {
    case Confidence::Low: return "low";
    case Confidence::Medium: return "medium";
    case Confidence::High: return "high";
  }
  return "low";
}

bool parse_confidence(const std::string& s, Confidence& out) {
  if (s == "low") out = Confidence::Low;
  else if (s == "medium") out = Confidence::Medium;
  else if (s == "high") out = Confidence::High;
  else return false;
  return true;
}

}  // namespace raceaudit
