// `raceaudit rule`: lists the rules; `raceaudit rule RA003` prints its page
// (the same markdown as docs/rules/RA003.md, embedded at build time). A rule
// is found by its code, a code prefix (`RA00`: every rule it selects) or its
// name (`iterate-while-mutated`); `--all` prints every page, `--format json`
// (or --output-format) an array of the rules.
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "rules/rule.h"
#include "rules/rule_docs.h"

namespace raceaudit::cli {
namespace {

struct RuleArgs {
  std::string code;
  bool all = false;
  std::string format = "text";
};

// The rules `query` names: by name, else by code or code prefix (any case).
std::vector<const RuleInfo*> lookup(const std::string& query) {
  std::string upper = query;
  for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  std::vector<const RuleInfo*> out;
  for (const auto& r : all_rules())
    if (r->info().name == query) return {&r->info()};
  for (const auto& r : all_rules())
    if (!upper.empty() && r->info().code.substr(0, upper.size()) == upper) out.push_back(&r->info());
  return out;
}

std::string page_of(const RuleInfo& i) {
  const std::string_view doc = rule_doc(i.code);
  if (!doc.empty()) return std::string(doc);
  return std::string(i.code) + ": " + std::string(i.name) + "\n\n" + std::string(i.shape) + '\n';
}

nlohmann::ordered_json rule_json(const RuleInfo& i) {
  return {{"code", i.code},         {"name", i.name},         {"shape", i.shape},
          {"symptom", to_string(i.symptom)}, {"fix_hint", i.fix_hint}, {"url", rule_url(i.code)},
          {"explanation", page_of(i)}};
}

void print_list(const std::vector<const RuleInfo*>& rules) {
  for (const RuleInfo* i : rules)
    std::cout << i->code << "  " << i->name << "  (" << to_string(i->symptom) << ")\n    " << i->shape << '\n';
}

int run(const RuleArgs& a) {
  std::vector<const RuleInfo*> rules;
  if (a.code.empty()) {
    for (const auto& r : all_rules()) rules.push_back(&r->info());
  } else {
    rules = lookup(a.code);
    if (rules.empty()) {
      print_error("unknown rule '" + a.code + "'; `raceaudit rule` lists the rules");
      return 2;
    }
  }
  if (a.format == "json") {
    nlohmann::ordered_json j = nlohmann::ordered_json::array();
    for (const RuleInfo* i : rules) j.push_back(rule_json(*i));
    std::cout << j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
  } else if (a.all || (rules.size() == 1 && !a.code.empty())) {
    for (size_t n = 0; n < rules.size(); ++n) std::cout << (n ? "\n" : "") << page_of(*rules[n]);
  } else {
    print_list(rules);
  }
  return 0;
}

}  // namespace

void add_rule_command(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<RuleArgs>();
  auto* cmd = app.add_subcommand(
      "rule", "List the rules, or explain one: by code (RA003), code prefix (RA00) or name (iterate-while-mutated)");
  cmd->add_option("code", args->code, "Rule code, code prefix or name");
  cmd->add_flag("--all", args->all, "Print the page of every rule (or of every rule the prefix selects)");
  cmd->add_option("--output-format,--format", args->format, "text (the pages) or json (an array of the rules)")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->callback([args, exit_code] { *exit_code = run(*args); });
}

}  // namespace raceaudit::cli
