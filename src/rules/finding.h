// A finding as rules produce it and report writers print it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "facts/facts.h"
#include "diag/confidence.h"
#include "diag/evidence.h"
#include "fix/fix.h"

namespace raceaudit {

enum class Symptom : uint8_t { Crash, Silent };
inline const char* to_string(Symptom s) { return s == Symptom::Crash ? "crash" : "silent"; }

struct RelatedSite {
  std::string path;
  Span span;
  std::string note;  // "mutated here", "checked here"
};

struct Finding {
  std::string code;       // "RA003"
  std::string shape;      // short rule name
  std::string path;
  Span span;
  Span stmt;              // the whole statement (for suppressions on its first or last line)
  std::string scope;      // enclosing qualified name
  std::string target;     // the shared location as written ("self._free_fd_heap")
  std::string location;   // the linked location ("FakeFilesystem._free_fd_heap")
  std::string message;
  Confidence confidence = Confidence::Low;
  std::vector<Evidence> evidence;  // why it has that confidence
  Symptom symptom = Symptom::Silent;
  std::string fix_hint;
  std::optional<Fix> fix;  // an automatic fix, when the repair is mechanical (src/fix/)
  std::optional<RelatedSite> related;
  std::string fingerprint;  // filled by the scan driver
  uint32_t occurrence = 0;  // among identical (code, scope, target, statement) findings
  bool confirmed = false;   // the race was observed at run time (scan --evidence, src/evidence/)
};

}  // namespace raceaudit
