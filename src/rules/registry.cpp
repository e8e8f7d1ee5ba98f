// The list of all rules. Adding a rule: one file with a make_raNNN() factory,
// one line here, a doc page in docs/rules/, fixtures in tests/fixtures/RANNN/.
#include "rules/rule.h"

namespace raceaudit {

std::unique_ptr<Rule> make_ra001();
std::unique_ptr<Rule> make_ra006();
std::unique_ptr<Rule> make_ra007();

const std::vector<std::unique_ptr<Rule>>& all_rules() {
  static const std::vector<std::unique_ptr<Rule>> rules = [] {
    std::vector<std::unique_ptr<Rule>> v;
    v.push_back(make_ra001());
    v.push_back(make_ra006());
    v.push_back(make_ra007());
    return v;
  }();
  return rules;
}

const Rule* find_rule(std::string_view code) {
  for (const auto& r : all_rules())
    if (r->info().code == code) return r.get();
  return nullptr;
}

}  // namespace raceaudit
