// Runtime evidence for static findings: the report of `raceaudit confirm`
// (docs/confirm.md) read back by `scan --evidence FILE`. A finding whose pair
// of sites was seen overlapping at run time is *confirmed*: it carries a
// `confirmed` evidence entry, is marked in every report, and sorts first.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "rules/finding.h"

namespace raceaudit {

// One finding under one interpreter, as `raceaudit confirm --format json` writes it.
struct Confirmation {
  enum class Status { Confirmed, Reached, NotReached };
  std::string fingerprint;  // empty for `confirm --site/--partner` entries
  std::string code;
  std::string site_file, partner_file;
  uint32_t site_row = 0, partner_row = 0;
  Status status = Status::NotReached;
  std::string interpreter;
  uint64_t trials = 0, reached_threads = 0, overlaps = 0, manifested = 0;
  std::string failure;  // the first failure that manifested, or ""
};

// Reads a confirm report. Returns false and sets `error` to one line naming
// the file and the entry that is wrong.
bool read_confirmations(const std::string& path, std::vector<Confirmation>& out, std::string& error);

struct EvidenceMatch {
  size_t confirmed = 0;  // findings marked confirmed
  size_t unmatched = 0;  // entries that matched no finding (the code changed since?)
};

// Attaches the entries to the findings they are about: by fingerprint, else
// by site (file and line, and the partner's line when the finding has one).
// Confirmed findings move to the front, in their order.
EvidenceMatch apply_confirmations(const std::vector<Confirmation>& entries, std::vector<Finding>& findings);

}  // namespace raceaudit
