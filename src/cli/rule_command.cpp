// `raceaudit rule` lists the rules; `raceaudit rule RA003` prints its page
// (the same markdown as docs/rules/RA003.md, embedded at build time).
#include <iostream>

#include "cli/commands.h"
#include "rules/rule.h"
#include "rules/rule_docs.h"

namespace raceaudit::cli {

void add_rule_command(CLI::App& app, int* exit_code) {
  auto* cmd = app.add_subcommand("rule", "List the rules, or explain one (raceaudit rule RA003)");
  auto code = std::make_shared<std::string>();
  cmd->add_option("code", *code, "Rule code, e.g. RA003");
  cmd->callback([code, exit_code] {
    if (code->empty()) {
      for (const auto& r : all_rules()) {
        const RuleInfo& i = r->info();
        std::cout << i.code << "  " << i.name << "  (" << to_string(i.symptom) << ")\n    " << i.shape << '\n';
      }
      *exit_code = 0;
      return;
    }
    std::string c = *code;
    for (auto& ch : c) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    const Rule* r = find_rule(c);
    if (!r) {
      print_error("unknown rule '" + *code + "'; `raceaudit rule` lists the rules");
      *exit_code = 2;
      return;
    }
    const std::string_view doc = rule_doc(c);
    if (doc.empty()) std::cout << r->info().code << ": " << r->info().name << "\n\n" << r->info().shape << '\n';
    else std::cout << doc;
    *exit_code = 0;
  });
}

}  // namespace raceaudit::cli
