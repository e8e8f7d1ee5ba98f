// Merges the configuration file and the command line into ScanOptions. The
// command line wins. Rule selection is resolved in two layers, the file's and
// then the command line's (as ruff does): a layer with `select` starts over
// from those rules, `extend-select` adds, `ignore` removes. So
// `--select RA001` shows RA001 even when the file ignores it, and `--ignore`
// alone narrows the file's selection. Exclusion: a command-line --exclude
// replaces the file's exclude; extend-exclude adds to both.
#include <set>

#include "config/config.h"
#include "rules/rule.h"

namespace raceaudit {
namespace {

// Excluded unless `exclude` says otherwise (ruff excludes them too).
const std::vector<std::string> kDefaultExclude = {"build", "dist"};

void append(std::vector<std::string>& to, const std::vector<std::string>& from) {
  to.insert(to.end(), from.begin(), from.end());
}

bool matches_any(const std::string& code, const std::vector<std::string>& selectors) {
  for (const auto& s : selectors)
    if (code_matches(code, s)) return true;
  return false;
}

// One layer of selection applied to the set of enabled rule codes.
void apply_layer(std::set<std::string>& enabled, const std::optional<std::vector<std::string>>& select,
                 const std::vector<std::string>& extend_select, const std::vector<std::string>& ignore) {
  for (const auto& rule : all_rules()) {
    const std::string code(rule->info().code);
    bool on = enabled.count(code) > 0;
    if (select) on = matches_any(code, *select);
    on = (on || matches_any(code, extend_select)) && !matches_any(code, ignore);
    if (on) enabled.insert(code);
    else enabled.erase(code);
  }
}

}  // namespace

void apply_config(const Config& c, const CommandLineSelection& cli, ScanOptions& o) {
  std::set<std::string> enabled;
  for (const auto& rule : all_rules()) enabled.insert(std::string(rule->info().code));
  apply_layer(enabled, c.select, c.extend_select, c.ignore.value_or(std::vector<std::string>{}));
  apply_layer(enabled, cli.select, cli.extend_select, cli.ignore.value_or(std::vector<std::string>{}));
  o.select.clear();
  o.ignore.clear();
  if (enabled.empty()) o.ignore = {"ALL"};
  else if (enabled.size() < all_rules().size()) o.select.assign(enabled.begin(), enabled.end());

  const std::string cwd = absolute_path(".");
  const std::string file_dir = c.dir.empty() ? cwd : c.dir;
  auto anchored = [&o](const std::vector<std::string>& globs, const std::string& anchor) {
    for (const auto& g : globs) o.discover.exclude.push_back({g, anchor});
  };
  o.discover.exclude.clear();
  if (cli.exclude) anchored(*cli.exclude, cwd);
  else if (c.exclude) anchored(*c.exclude, file_dir);
  else anchored(kDefaultExclude, cwd);
  anchored(c.extend_exclude, file_dir);
  anchored(cli.extend_exclude, cwd);

  o.per_file_ignores.clear();
  for (const auto& [glob, codes] : c.per_file_ignores) o.per_file_ignores.push_back({{glob, file_dir}, codes});
  if (cli.min_confidence) o.min_confidence = *cli.min_confidence;
  else if (c.min_confidence) o.min_confidence = *c.min_confidence;

  append(o.link.extra_lock_factories, c.lock_factories);
  append(o.lower.extra_init_methods, c.init_methods);
  append(o.link.shared_classes, c.shared_classes);
  append(o.link.confined_classes, c.confined_classes);
}

}  // namespace raceaudit
