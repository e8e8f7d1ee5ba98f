// Report writers: one per format, all over the same sorted ScanResult.
#pragma once

#include <ostream>
#include <string>

#include "scan/scan.h"

namespace raceaudit {

struct ReportOptions {
  bool show_source = false;  // text: the offending line, a caret, the related site
  bool color = false;
  bool quiet = false;        // text: no summary line
};

void write_text(std::ostream& out, const ScanResult& r, const ReportOptions& o);

}  // namespace raceaudit
