#include "driver/analyze.h"

#include "diag/one_per_line.h"
#include "rules/rule.h"

namespace raceaudit {

Analysis analyze(std::vector<ModuleFacts> modules, LinkOptions options,
                 const std::function<bool(std::string_view)>& selected) {
  Analysis a{Project(std::move(modules), std::move(options)), {}};
  for (const auto& rule : all_rules())
    if (!selected || selected(rule->info().code)) rule->check(a.project, a.findings);
  keep_one_finding_per_line(a.findings);
  return a;
}

}  // namespace raceaudit
