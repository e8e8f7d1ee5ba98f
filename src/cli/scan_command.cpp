// `raceaudit scan [PATH...]`: options, configuration, the scan, the baseline,
// the report, the exit code (0 nothing found, 1 findings, 2 usage,
// configuration or I/O error, with one line on stderr).
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "baseline/baseline.h"
#include "cli/commands.h"
#include "cli/fix_mode.h"
#include "cli/show_settings.h"
#include "config/config.h"
#include "discover/exclude.h"
#include "discover/gitignore.h"
#include "evidence/runtime_evidence.h"
#include "report/progress.h"
#include "report/report.h"
#include "rules/rule.h"
#include "scan/scan.h"
#include "util/paths.h"

namespace raceaudit::cli {
namespace {

struct ScanArgs {
  std::vector<std::string> paths;
  std::vector<std::string> select, ignore, extend_select, exclude, extend_exclude;
  std::string format;  // "" when not given: the configuration's output-format, else text
  std::string output_file;
  std::string min_confidence;
  std::string color = "auto";
  std::string config;
  std::string baseline;
  std::string write_baseline;
  std::string evidence;  // a `raceaudit confirm` JSON report
  bool select_confirmed = false;
  unsigned jobs = 0;
  bool isolated = false;
  bool exit_zero = false;
  bool statistics = false;
  bool quiet = false;
  bool show_source = false;
  bool report_unused = false;
  bool follow_links = false;
  bool respect_gitignore = false, no_respect_gitignore = false;
  bool force_exclude = false, no_force_exclude = false;
  bool show_settings = false;
  bool fail_on_syntax_error = false;
  std::string stdin_filename;
  unsigned max_tree_mib = 0;
  FixArgs fix;
};

std::vector<std::string> split_codes(const std::vector<std::string>& in) {
  std::vector<std::string> out;
  for (const auto& s : in) {
    std::stringstream ss(s);
    std::string part;
    while (std::getline(ss, part, ',')) {
      part.erase(0, part.find_first_not_of(" \t"));
      part.erase(part.find_last_not_of(" \t") + 1);
      if (!part.empty()) out.push_back(part);
    }
  }
  return out;
}

bool valid_selector(const std::string& s) {
  if (s == "ALL") return true;
  for (const auto& r : all_rules())
    if (code_matches(std::string(r->info().code), s)) return true;
  return false;
}

bool selected(const std::string& code, const ScanOptions& o) {
  bool sel = o.select.empty();
  for (const auto& s : o.select) sel = sel || code_matches(code, s);
  for (const auto& s : o.ignore)
    if (code_matches(code, s)) return false;
  return sel;
}

// The command line's selection; a list left empty counts as not given.
bool command_line_selection(const ScanArgs& a, CommandLineSelection& cli) {
  auto given = [](std::vector<std::string> v) { return v.empty() ? std::nullopt : std::optional(std::move(v)); };
  cli.select = given(split_codes(a.select));
  cli.ignore = given(split_codes(a.ignore));
  cli.extend_select = split_codes(a.extend_select);
  cli.exclude = given(a.exclude);
  cli.extend_exclude = a.extend_exclude;
  std::vector<std::string> selectors = cli.extend_select;
  for (const auto& list : {cli.select, cli.ignore})
    if (list) selectors.insert(selectors.end(), list->begin(), list->end());
  for (const auto& s : selectors)
    if (!valid_selector(s)) {
      print_error("unknown rule selector '" + s + "'; `raceaudit rule` lists the rules");
      return false;
    }
  if (!a.min_confidence.empty()) {
    Confidence c;
    if (!parse_confidence(a.min_confidence, c)) {
      print_error("--min-confidence must be low, medium or high, not '" + a.min_confidence + "'");
      return false;
    }
    cli.min_confidence = c;
  }
  return true;
}

// Could this run have reported the baseline entry? Its rule is selected, its
// file is one this run scanned and reported on (not excluded, not only read
// for linking in a partial scan), and not ignored for its rule. Only such
// entries are stale when they match nothing.
bool checked_by_this_run(const BaselineEntry& e, const ScanOptions& o, const std::set<std::string>& scanned) {
  if (!e.code.empty() && !selected(e.code, o)) return false;
  if (!scanned.count(e.filename)) return false;
  const std::string path = e.filename.empty() || e.filename[0] == '/' ? e.filename : o.project_root + "/" + e.filename;
  return !ignored_for_file(path, e.code, o);
}

// Does the command line name a file (not a directory)? A scan of some files of
// a project (pre-commit, an editor) may not write a baseline; a scan of a
// directory may: it is the scope the CI job repeats (`scan src/`).
bool names_a_file(const std::vector<std::string>& paths) {
  for (const auto& p : paths) {
    struct stat st {};
    if (stat_path(p, st, 0) == 0 && !S_ISDIR(st.st_mode)) return true;
  }
  return false;
}

// The project root: the nearer of the configuration file's directory and the
// top of the git work tree holding the first path; else (and with
// --isolated) the working directory, and no project to link against.
void find_project_root(const ScanArgs& a, const Config& config, ScanOptions& o) {
  o.project_root = absolute_path(".");
  o.link_project = false;
  if (a.isolated) return;
  std::string root = config.dir;
  const std::string git = git_workdir_of(o.paths.front());
  if (!git.empty() && (root.empty() || relative_to(git, root) != "")) root = git;
  if (root.empty()) return;
  o.project_root = root;
  o.link_project = true;
}

// --color auto: FORCE_COLOR (set, not empty) turns colour on, else NO_COLOR
// turns it off, else a terminal has it.
bool auto_color(bool tty) {
  const char* force = std::getenv("FORCE_COLOR");
  if (force && *force) return true;
  const char* no_color = std::getenv("NO_COLOR");
  return tty && !(no_color && *no_color);
}

// Hooks the progress line to the scan when ScanOptions has a progress callback.
template <class Options>
void attach_progress(Options& o, ProgressLine& line) {
  if constexpr (requires { o.progress = [](size_t, size_t) {}; })
    o.progress = [&line](size_t done, size_t total) { line.update(done, total); };
}

// Unhooks it once the line is gone: the re-scans of --fix and --diff run later.
template <class Options>
void detach_progress(Options& o) {
  if constexpr (requires { o.progress = nullptr; }) o.progress = nullptr;
}

// Baseline entries that no longer match, as notes on stderr (at most ten listed).
void print_stale(const std::vector<BaselineEntry>& stale, const std::string& file) {
  std::cerr << "raceaudit: note: " << stale.size() << (stale.size() == 1 ? " entry" : " entries") << " of "
            << escape_control(file) << " matched no finding (fixed, or changed); refresh it with --write-baseline " << escape_control(file) << '\n';
  for (size_t i = 0; i < stale.size() && i < 10; ++i) {
    const BaselineEntry& e = stale[i];
    std::cerr << "raceaudit: note:   " << display_path(e.filename) << ": " << escape_control(e.code);
    if (!e.scope.empty()) std::cerr << " in " << escape_control(e.scope);
    if (!e.target.empty()) std::cerr << " on `" << escape_control(e.target) << '`';
    std::cerr << '\n';
  }
  if (stale.size() > 10) std::cerr << "raceaudit: note:   ... and " << stale.size() - 10 << " more\n";
}

// The paths to scan; `-` reads the one file from stdin (--stdin-filename names it).
bool scan_paths(const ScanArgs& a, ScanOptions& o) {
  o.paths = a.paths.empty() ? std::vector<std::string>{"."} : a.paths;
  const bool from_stdin = a.paths == std::vector<std::string>{"-"};
  if (std::find(a.paths.begin(), a.paths.end(), "-") != a.paths.end() && !from_stdin) {
    print_error("`-` (read the file from stdin) cannot be combined with other paths");
    return false;
  }
  if (!a.stdin_filename.empty() && !from_stdin) {
    print_error("--stdin-filename names the file read from stdin: give `-` as the path");
    return false;
  }
  if (from_stdin) {
    o.paths = {a.stdin_filename.empty() ? std::string("-") : a.stdin_filename};
    std::ostringstream text;
    text << std::cin.rdbuf();
    o.stdin_text = text.str();
  }
  return true;
}

// ScanOptions from the configuration file, the project root and the command line.
bool resolve_options(const ScanArgs& a, Config& config, ScanOptions& o) {
  CommandLineSelection cli;
  if (!command_line_selection(a, cli) || !scan_paths(a, o)) return false;
  std::string error;
  if (!a.isolated) {
    const bool ok = a.config.empty() ? discover_config(o.paths.front(), config, error)
                                     : load_config(a.config, config, error);
    if (!ok) {
      print_error(error);
      return false;
    }
  }
  apply_config(config, cli, o);
  find_project_root(a, config, o);
  o.discover.base = o.project_root;
  o.discover.respect_gitignore =
      a.respect_gitignore || (!a.no_respect_gitignore && config.respect_gitignore.value_or(true));
  o.discover.force_exclude = a.force_exclude || (!a.no_force_exclude && config.force_exclude.value_or(false));
  o.jobs = a.jobs;
  o.report_unused_suppressions = a.report_unused;
  o.discover.follow_links = a.follow_links;
  if (a.max_tree_mib) o.max_tree_bytes = uint64_t{a.max_tree_mib} << 20;
  return true;
}

// --evidence: marks the findings `raceaudit confirm` saw race and sorts them
// first; --select-confirmed keeps only those.
bool apply_evidence(const ScanArgs& a, ScanResult& r) {
  std::vector<Confirmation> entries;
  std::string error;
  if (!read_confirmations(a.evidence, entries, error)) {
    print_error(error);
    return false;
  }
  const EvidenceMatch m = apply_confirmations(entries, r.findings);
  if (m.unmatched && !a.quiet)
    std::cerr << "raceaudit: warning: " << m.unmatched << (m.unmatched == 1 ? " entry" : " entries") << " of "
              << escape_control(a.evidence) << " matched no finding (the code changed since the confirm run, or "
              << "this scan does not report them)\n";
  if (a.select_confirmed)
    r.findings.erase(std::remove_if(r.findings.begin(), r.findings.end(), [](const Finding& f) { return !f.confirmed; }),
                     r.findings.end());
  return true;
}

int run(const ScanArgs& a) {
  ScanOptions o;
  Config config;
  if (!resolve_options(a, config, o)) return 2;
  if (a.fix.add_suppressions && o.stdin_text) {
    print_error("--add-suppressions writes the files it scanned: it cannot take `-` (stdin)");
    return 2;
  }
  std::string error;

  const std::string format_name = a.format.empty() ? config.output_format.value_or("text") : a.format;
  if (a.show_settings) {
    print_settings(std::cout, config, o, format_name);
    return 0;
  }
  Format format = Format::Text;
  parse_format(format_name, format);  // names checked

  ScanResult r;
  {
    ProgressLine progress(!a.quiet && isatty(STDERR_FILENO));
    attach_progress(o, progress);
    r = run_scan(o);
    detach_progress(o);
  }
  if (!r.errors.empty()) {
    for (const auto& e : r.errors) print_error("cannot scan " + e);
    return 2;
  }
  for (const auto& d : r.diagnostics) {
    std::cerr << "raceaudit: warning: " << escape_control(d.path);
    if (d.span.line) std::cerr << ':' << d.span.line << ':' << d.span.col;
    std::cerr << ": " << escape_control(d.message) << '\n';
  }
  FixArgs fix = a.fix;
  fix.quiet = a.quiet;
  if (fix.diff) return print_fix_diff(o, r, fix);
  if (fix.fix && o.stdin_text) return fix_stdin(o, r, fix);
  size_t fixed = 0;
  if (fix.fix && !fix_files(o, r, fix, fixed)) return 2;

  if (!a.write_baseline.empty()) {
    if (r.partial && names_a_file(o.paths)) {
      print_error("--write-baseline would drop the entries of every file not named; a baseline records a "
                  "directory or the whole project (" + o.project_root + ")");
      return 2;
    }
    if (!write_baseline(a.write_baseline, make_baseline(r.findings, o.project_root), error)) {
      print_error(error);
      return 2;
    }
    if (!a.quiet)
      std::cerr << "raceaudit: wrote " << r.findings.size() << (r.findings.size() == 1 ? " finding" : " findings")
                << " to " << escape_control(a.write_baseline) << '\n';
    return 0;
  }

  ReportOptions ro;
  if (!a.baseline.empty()) {
    Baseline b;
    if (!read_baseline(a.baseline, b, error)) {
      print_error(error);
      return 2;
    }
    std::set<std::string> scanned;
    for (const auto& p : r.scanned_paths) scanned.insert(project_relative(p, o.project_root));
    const BaselineMatch m = apply_baseline(
        b, r.findings, [&](const BaselineEntry& e) { return checked_by_this_run(e, o, scanned); });
    ro.baselined = m.matched;
    ro.stale_baseline = m.stale.size();
    if (!m.stale.empty() && !a.quiet) print_stale(m.stale, a.baseline);
  }

  if (!a.evidence.empty() && !apply_evidence(a, r)) return 2;

  if (fix.add_suppressions) return add_suppression_comments(o, r, fix);

  std::ofstream file;
  std::ostream* out = &std::cout;
  if (!a.output_file.empty()) {
    file.open(a.output_file, std::ios::binary | std::ios::trunc);
    if (!file) {
      print_error("cannot write " + a.output_file + ": " + std::strerror(errno));
      return 2;
    }
    out = &file;
  }
  ro.quiet = a.quiet;
  ro.show_source = a.show_source;
  ro.tool_version = RACEAUDIT_VERSION;
  ro.project_root = o.project_root;
  const bool tty = a.output_file.empty() && isatty(STDOUT_FILENO);
  ro.color = a.color == "always" || (a.color == "auto" && auto_color(tty));
  if (a.statistics) write_statistics(*out, r, ro, format == Format::Json);
  else write_report(format, *out, r, ro);
  // Formats that have no place for them list unused suppressions on stderr.
  if (format == Format::Json || format == Format::Sarif || a.statistics)
    for (const auto& u : r.unused_suppressions)
      std::cerr << "raceaudit: warning: " << escape_control(u.path) << ':' << u.span.line << ": "
                << escape_control(u.message) << '\n';
  out->flush();
  if (!*out) {
    print_error("write error on " + (a.output_file.empty() ? std::string("stdout") : a.output_file));
    return 2;
  }
  if (a.exit_zero) return 0;
  const bool syntax_errors =
      std::any_of(r.diagnostics.begin(), r.diagnostics.end(), [](const auto& d) { return d.syntax_error; });
  if (a.fail_on_syntax_error && syntax_errors) return 1;
  if (fix.exit_non_zero_on_fix && fixed) return 1;
  return r.findings.empty() && r.unused_suppressions.empty() ? 0 : 1;
}

// --fix, --unsafe-fixes, --diff, --show-fixes, --exit-non-zero-on-fix, --add-suppressions.
void add_fix_options(CLI::App& cmd, FixArgs& f) {
  auto* fix = cmd.add_flag("--fix", f.fix,
                           "Apply the safe fixes and write the files; the report shows what remains (docs/fixes.md)");
  cmd.add_flag("--unsafe-fixes", f.unsafe_fixes,
               "With --fix or --diff, also the unsafe fixes (they change behaviour in some case or the structure)");
  auto* diff = cmd.add_flag("--diff", f.diff,
                            "Print what --fix would change as a unified diff and change nothing (exit 1 when there "
                            "is a diff)");
  cmd.add_flag("--show-fixes", f.show_fixes, "With --fix or --diff, list each fixed finding on stderr");
  cmd.add_flag("--exit-non-zero-on-fix", f.exit_non_zero_on_fix,
               "With --fix, exit 1 when a fix was applied, even if no finding remains");
  cmd.add_flag("--add-suppressions", f.add_suppressions,
               "Add a `# raceaudit: ignore[CODE]` comment on a line of every finding reported, and write the files")
      ->excludes(fix)
      ->excludes(diff);
}

}  // namespace

// Messages name paths and quote input: printed with control characters escaped.
void print_error(const std::string& message) { std::cerr << "raceaudit: error: " << escape_control(message) << '\n'; }

void add_scan_command(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<ScanArgs>();
  auto* cmd = app.add_subcommand("scan", "Find thread-race hazards in Python files (never runs them); alias: check");
  cmd->alias("check");
  cmd->add_option("paths", args->paths, "Files or directories (default: .); - reads one file from stdin");
  cmd->add_option("--stdin-filename", args->stdin_filename,
                  "The name of the file read from stdin (`scan -`): reported, and used for the configuration, "
                  "excludes, per-file-ignores and the project it belongs to");
  cmd->add_option("--select", args->select, "Only these rules or prefixes (RA001,RA003)")->delimiter(',')->allow_extra_args(false);
  cmd->add_option("--extend-select", args->extend_select, "Add rules to the selection")->delimiter(',')->allow_extra_args(false);
  cmd->add_option("--ignore", args->ignore, "Skip these rules or prefixes")->delimiter(',')->allow_extra_args(false);
  cmd->add_option("--exclude", args->exclude,
                  "Glob patterns of files and directories to skip, replacing the configuration's and the default "
                  "(build, dist); with a slash, relative to the working directory, ** for any directories")
      ->allow_extra_args(false);
  cmd->add_option("--extend-exclude", args->extend_exclude, "More patterns to skip")->allow_extra_args(false);
  auto* force = cmd->add_flag("--force-exclude", args->force_exclude,
                              "Apply the exclude patterns to the paths named on the command line too (for pre-commit)");
  cmd->add_flag("--no-force-exclude", args->no_force_exclude, "Undo force-exclude = true of the configuration")
      ->excludes(force);
  auto* respect = cmd->add_flag("--respect-gitignore", args->respect_gitignore,
                                "Skip files that git ignores (the default; undoes respect-gitignore = false)");
  cmd->add_flag("--no-respect-gitignore", args->no_respect_gitignore,
                "Also scan files that git ignores (.gitignore, .git/info/exclude)")
      ->excludes(respect);
  cmd->add_option("--output-format,--format", args->format,
                  "Report format (docs/report-formats.md; default: output-format of the configuration, else text)")
      ->check(CLI::IsMember({"text", "json", "sarif", "github", "markdown"}));
  cmd->add_option("--output-file,-o", args->output_file, "Write the report here instead of stdout");
  cmd->add_option("--min-confidence", args->min_confidence, "Report findings of at least this confidence (default medium)")
      ->check(CLI::IsMember({"low", "medium", "high"}));
  cmd->add_option("--jobs,-j", args->jobs, "Worker threads (default: all cores)")->check(CLI::Range(1u, 1024u));
  cmd->add_option("--color", args->color, "Colour output: auto (FORCE_COLOR set, or a terminal without NO_COLOR), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  auto* config = cmd->add_option("--config", args->config,
                                 "Configuration file (a pyproject.toml, or a raceaudit.toml with the keys at top level)");
  cmd->add_flag("--isolated", args->isolated,
                "Ignore all configuration files, and the project around the paths (no linking against it; "
                "the working directory is the project root)")->excludes(config);
  cmd->add_option("--baseline", args->baseline, "Report only findings that this baseline file does not list");
  cmd->add_option("--write-baseline", args->write_baseline, "Record the current findings in this baseline file");
  auto* evidence = cmd->add_option("--evidence", args->evidence,
                                   "Mark the findings that this `raceaudit confirm --format json` report saw race at "
                                   "run time, and list them first (docs/confirm.md)");
  cmd->add_flag("--select-confirmed", args->select_confirmed,
                "With --evidence, report only the confirmed findings (a CI gate that fails only on observed races)")
      ->needs(evidence);
  cmd->add_flag("--show-settings", args->show_settings,
                "Print the configuration file used, the project root and the resolved settings, and exit");
  cmd->add_flag("--fail-on-syntax-error", args->fail_on_syntax_error,
                "Exit 1 when a file does not parse, even with no findings (the rest of it is still analysed)");
  cmd->add_flag("--exit-zero", args->exit_zero, "Exit 0 even when hazards are found");
  cmd->add_flag("--statistics", args->statistics, "Print counts per rule and confidence instead of the findings");
  cmd->add_flag("--quiet,-q", args->quiet, "No summary line, no notes, no progress");
  cmd->add_flag("--show-source", args->show_source, "Show the offending line, a caret and the related site");
  cmd->add_flag("--follow-links", args->follow_links,
                "Also read file symlinks whose target is outside the given paths (never quoted in diagnostics)");
  cmd->add_option("--max-tree-mib", args->max_tree_mib,
                  "Skip a file whose syntax tree would take more than this (default 4096)")
      ->check(CLI::Range(1u, 1u << 20));
  cmd->add_flag("--report-unused-suppressions", args->report_unused,
                "List suppression comments that matched nothing (and exit 1 when there are any)");
  add_fix_options(*cmd, args->fix);
  cmd->callback([args, exit_code] { *exit_code = run(*args); });
}

}  // namespace raceaudit::cli
