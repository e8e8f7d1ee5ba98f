#include "cli/show_settings.h"

#include <nlohmann/json.hpp>

#include "rules/rule.h"

namespace raceaudit::cli {
namespace {

std::vector<std::string> enabled_rules(const ScanOptions& o) {
  std::vector<std::string> out;
  for (const auto& r : all_rules()) {
    const std::string code(r->info().code);
    bool on = o.select.empty();
    for (const auto& s : o.select) on = on || code_matches(code, s);
    for (const auto& s : o.ignore) on = on && !code_matches(code, s);
    if (on) out.push_back(code);
  }
  return out;
}

// Patterns with what they are relative to.
nlohmann::ordered_json anchored(const AnchoredGlob& g) { return {{"glob", g.glob}, {"relative_to", g.anchor}}; }

}  // namespace

void print_settings(std::ostream& out, const Config& config, const ScanOptions& o, const std::string& format) {
  nlohmann::ordered_json s;
  s["config_file"] = config.path.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(config.path);
  s["project_root"] = o.project_root;
  s["link_project"] = o.link_project;
  s["paths"] = o.paths;
  s["rules"] = enabled_rules(o);
  s["min_confidence"] = to_string(o.min_confidence);
  s["output_format"] = format;
  s["exclude"] = nlohmann::ordered_json::array();
  for (const auto& g : o.discover.exclude) s["exclude"].push_back(anchored(g));
  s["per_file_ignores"] = nlohmann::ordered_json::array();
  for (const auto& [g, codes] : o.per_file_ignores) {
    auto e = anchored(g);
    e["codes"] = codes;
    s["per_file_ignores"].push_back(e);
  }
  s["respect_gitignore"] = o.discover.respect_gitignore;
  s["force_exclude"] = o.discover.force_exclude;
  s["follow_links"] = o.discover.follow_links;
  s["lock_factories"] = o.link.extra_lock_factories;
  s["init_methods"] = o.lower.extra_init_methods;
  s["shared_classes"] = o.link.shared_classes;
  s["thread_confined_classes"] = o.link.confined_classes;
  if (format == "json") {
    out << s.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
    return;
  }
  // Text: one `key = value` line each, values as JSON.
  for (const auto& [key, value] : s.items())
    out << key << " = " << value.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
}

}  // namespace raceaudit::cli
