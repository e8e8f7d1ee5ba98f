// Confidence from the linked facts: how sure a finding at an access is
// that its place is shared between threads. Kept apart from linking so that
// the sharing model can change without touching it (docs/analysis-model.md).
#pragma once

#include "diag/confidence.h"
#include "link/project.h"

namespace raceaudit {

Confidence confidence_at(const Project& project, AccessRef at);

}  // namespace raceaudit
