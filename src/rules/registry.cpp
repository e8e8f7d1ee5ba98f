// The list of all rules. Adding a rule: one file with a make_raNNN() factory,
// one line here, a doc page in docs/rules/, fixtures in tests/fixtures/RANNN/.
#include "rules/rule.h"

namespace raceaudit {

std::unique_ptr<Rule> make_ra001();
std::unique_ptr<Rule> make_ra002();
std::unique_ptr<Rule> make_ra003();
std::unique_ptr<Rule> make_ra004();
std::unique_ptr<Rule> make_ra005();
std::unique_ptr<Rule> make_ra006();
std::unique_ptr<Rule> make_ra007();
std::unique_ptr<Rule> make_ra008();

const std::vector<std::unique_ptr<Rule>>& all_rules() {
  static const std::vector<std::unique_ptr<Rule>> rules = [] {
    std::vector<std::unique_ptr<Rule>> v;
    for (auto make : {make_ra001, make_ra002, make_ra003, make_ra004, make_ra005, make_ra006, make_ra007, make_ra008})
      v.push_back(make());
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
