// The registry: every rule of rules.def, constructed once, in code order.
#include "rules/rule.h"

namespace raceaudit {

#define RULE(code, make) std::unique_ptr<Rule> make();
#include "rules/rules.def"
#undef RULE

const std::vector<std::unique_ptr<Rule>>& all_rules() {
  static const std::vector<std::unique_ptr<Rule>> rules = [] {
    std::vector<std::unique_ptr<Rule>> v;
#define RULE(code, make) v.push_back(make());
#include "rules/rules.def"
#undef RULE
    return v;
  }();
  return rules;
}

std::string rule_url(std::string_view code) { return std::string(RACEAUDIT_DOCS_URL) + "/" + std::string(code) + ".md"; }

const Rule* find_rule(std::string_view code) {
  for (const auto& r : all_rules())
    if (r->info().code == code) return r.get();
  return nullptr;
}

}  // namespace raceaudit
