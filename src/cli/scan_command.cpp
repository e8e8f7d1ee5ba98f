// `raceaudit scan [PATH...]`: options, configuration, the scan, the report,
// the exit code (0 nothing found, 1 findings, 2 usage or I/O error).
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "report/report.h"
#include "rules/rule.h"
#include "scan/scan.h"

namespace raceaudit::cli {
namespace {

struct ScanArgs {
  std::vector<std::string> paths;
  std::vector<std::string> select, ignore, extend_select, exclude, extend_exclude;
  std::string format = "text";
  std::string output_file;
  std::string min_confidence;
  std::string color = "auto";
  unsigned jobs = 0;
  bool exit_zero = false;
  bool statistics = false;
  bool quiet = false;
  bool show_source = false;
  bool report_unused = false;
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

int run(const ScanArgs& a) {
  ScanOptions o;
  o.paths = a.paths.empty() ? std::vector<std::string>{"."} : a.paths;
  o.select = split_codes(a.select);
  for (auto& s : split_codes(a.extend_select)) o.select.push_back(s);
  o.ignore = split_codes(a.ignore);
  for (const auto* list : {&o.select, &o.ignore})
    for (const auto& s : *list)
      if (!valid_selector(s)) {
        print_error("unknown rule selector '" + s + "'; `raceaudit rule` lists the rules");
        return 2;
      }
  o.discover.exclude = a.exclude;
  for (const auto& e : a.extend_exclude) o.discover.exclude.push_back(e);
  o.jobs = a.jobs;
  o.report_unused_suppressions = a.report_unused;
  if (!a.min_confidence.empty() && !parse_confidence(a.min_confidence, o.min_confidence)) {
    print_error("--min-confidence must be low, medium or high, not '" + a.min_confidence + "'");
    return 2;
  }

  ScanResult r = run_scan(o);
  if (!r.errors.empty()) {
    for (const auto& e : r.errors) print_error("cannot scan " + e);
    return 2;
  }
  for (const auto& d : r.diagnostics) {
    std::cerr << "raceaudit: warning: " << d.path;
    if (d.span.line) std::cerr << ':' << d.span.line << ':' << d.span.col;
    std::cerr << ": " << d.message << '\n';
  }

  std::ofstream file;
  std::ostream* out = &std::cout;
  if (!a.output_file.empty()) {
    file.open(a.output_file);
    if (!file) {
      print_error("cannot write " + a.output_file);
      return 2;
    }
    out = &file;
  }
  ReportOptions ro;
  ro.quiet = a.quiet;
  ro.show_source = a.show_source;
  const bool tty = a.output_file.empty() && isatty(STDOUT_FILENO);
  ro.color = a.color == "always" || (a.color == "auto" && tty && !std::getenv("NO_COLOR"));
  if (a.format == "text") {
    write_text(*out, r, ro);
  } else {
    print_error("unknown --format '" + a.format + "'");
    return 2;
  }
  out->flush();
  if (!*out) {
    print_error("write error on " + (a.output_file.empty() ? std::string("stdout") : a.output_file));
    return 2;
  }
  if (a.exit_zero) return 0;
  return r.findings.empty() ? 0 : 1;
}

}  // namespace

void print_error(const std::string& message) { std::cerr << "raceaudit: error: " << message << '\n'; }

void add_scan_command(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<ScanArgs>();
  auto* cmd = app.add_subcommand("scan", "Find thread-race hazards in Python files (never runs them)");
  cmd->add_option("paths", args->paths, "Files or directories (default: .)");
  cmd->add_option("--select", args->select, "Only these rules or prefixes (RA001,RA003)")->delimiter(',')->allow_extra_args(false);
  cmd->add_option("--extend-select", args->extend_select, "Add rules to the selection")->delimiter(',')->allow_extra_args(false);
  cmd->add_option("--ignore", args->ignore, "Skip these rules or prefixes")->delimiter(',')->allow_extra_args(false);
  cmd->add_option("--exclude", args->exclude, "Glob patterns of files and directories to skip")->allow_extra_args(false);
  cmd->add_option("--extend-exclude", args->extend_exclude, "More patterns to skip")->allow_extra_args(false);
  cmd->add_option("--format", args->format, "Output format")->check(CLI::IsMember({"text"}));
  cmd->add_option("--output-file,-o", args->output_file, "Write the report here instead of stdout");
  cmd->add_option("--min-confidence", args->min_confidence, "Report findings of at least this confidence (default medium)")
      ->check(CLI::IsMember({"low", "medium", "high"}));
  cmd->add_option("--jobs,-j", args->jobs, "Worker threads (default: all cores)")->check(CLI::Range(1u, 1024u));
  cmd->add_option("--color", args->color, "Colour output")->check(CLI::IsMember({"auto", "always", "never"}));
  cmd->add_flag("--exit-zero", args->exit_zero, "Exit 0 even when hazards are found");
  cmd->add_flag("--quiet,-q", args->quiet, "No summary line");
  cmd->add_flag("--show-source", args->show_source, "Show the offending line, a caret and the related site");
  cmd->add_flag("--report-unused-suppressions", args->report_unused, "List suppression comments that matched nothing");
  cmd->callback([args, exit_code] { *exit_code = run(*args); });
}

}  // namespace raceaudit::cli
