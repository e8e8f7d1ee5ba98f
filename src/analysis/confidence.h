// Confidence from the linked facts: how sure a finding at an access is
// that its place is shared between threads, and the evidence for it. Kept
// apart from linking so that the sharing model can change without touching
// it (docs/analysis-model.md).
#pragma once

#include <vector>

#include "diag/confidence.h"
#include "diag/evidence.h"
#include "link/project.h"

namespace raceaudit {

struct Assessment {
  Confidence confidence = Confidence::Low;
  std::vector<Evidence> evidence;
};

// `partner`: the race's other access, when the rule has one (a check, a mutation, a use).
Assessment assess(const Project& project, AccessRef at, const AccessRef* partner = nullptr);
inline Confidence confidence_at(const Project& project, AccessRef at) { return assess(project, at).confidence; }

}  // namespace raceaudit
