// One check per class and file (clang-tidy style). A rule reads the linked
// Project and appends findings; it never sees a syntax tree.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "link/project.h"
#include "rules/finding.h"

namespace raceaudit {

struct RuleInfo {
  std::string_view code;      // "RA001"
  std::string_view name;      // "unsynchronized-read-modify-write"
  std::string_view shape;     // one line: what shape of code it finds
  Symptom symptom;
  std::string_view fix_hint;  // default fix hint
};

class Rule {
 public:
  virtual ~Rule() = default;
  virtual const RuleInfo& info() const = 0;
  virtual void check(const Project& project, std::vector<Finding>& out) const = 0;

 protected:
  // A finding at an access, with scope, target, confidence and symptom filled in.
  // `partner`: the other access of the race, when there is one (the check, the
  // mutation, the use): ownership needs both on the owner thread.
  Finding make_finding(const Project& project, AccessRef at, std::string message,
                       const AccessRef* partner = nullptr) const;
  static RelatedSite related_site(const Project& project, AccessRef at, std::string note);
};

// All rules, in code order.
const std::vector<std::unique_ptr<Rule>>& all_rules();
const Rule* find_rule(std::string_view code);

// The web page of a rule: RACEAUDIT_DOCS_URL (a CMake cache variable) + "/CODE.md".
std::string rule_url(std::string_view code);

}  // namespace raceaudit
