#include "cli/fix_mode.h"

#include <iostream>

#include "cli/commands.h"
#include "driver/autofix.h"
#include "fix/diff.h"
#include "util/atomic_file.h"
#include "util/paths.h"
#include "util/source_text.h"

namespace raceaudit::cli {
namespace {

std::string count(size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

void print_notes(const AutofixResult& plan, const FixArgs& a) {
  if (a.quiet) return;
  for (const auto& n : plan.notes) std::cerr << "raceaudit: note: " << escape_control(n) << '\n';
  if (plan.overlapping)
    std::cerr << "raceaudit: note: " << count(plan.overlapping, "fix", "fixes")
              << " left out: an earlier fix edits the same text (run again to apply them)\n";
  if (plan.unsafe_not_applied)
    std::cerr << "raceaudit: note: " << count(plan.unsafe_not_applied, "unsafe fix", "unsafe fixes")
              << " not applied (--unsafe-fixes applies them; review the result)\n";
}

void print_fixed(const AutofixResult& plan, const FixArgs& a, const char* verb) {
  if (a.quiet) return;
  std::cerr << "raceaudit: " << verb << ' ' << count(plan.fixed_count(), "finding", "findings") << " in "
            << count(plan.files.size(), "file", "files") << '\n';
  if (!a.show_fixes) return;
  for (const auto& file : plan.files)
    for (const Finding& f : file.fixed)
      std::cerr << "  " << display_path(f.path) << ':' << f.span.line << ':' << f.span.col << ": " << f.code << ' '
                << escape_control(f.fix->message) << " [" << to_string(f.fix->applicability) << "]\n";
}

// Writes a fixed file unless it changed since it was read.
bool write_fixed(const FixedFile& f, std::string& error) {
  std::string now;
  if (!read_file(f.path, now, error)) return false;
  if (now != f.bom + f.before) {
    error = "not writing " + f.path + ": it changed since it was scanned";
    return false;
  }
  return replace_file(f.path, f.bom + f.after, error);
}

}  // namespace


bool fix_files(const ScanOptions& o, ScanResult& r, const FixArgs& a, size_t& fixed) {
  AutofixResult plan = plan_fixes(o, r, a.unsafe_fixes);
  print_notes(plan, a);
  bool ok = true;
  for (const FixedFile& f : plan.files) {
    std::string error;
    if (!write_fixed(f, error)) {
      print_error(error);
      ok = false;
    }
  }
  fixed = plan.fixed_count();
  print_fixed(plan, a, "fixed");
  // What was written is what the last re-scan read; after a failed write the
  // files are scanned again as they are.
  r = ok ? std::move(plan.rescan) : run_scan(o);
  return ok;
}

int fix_stdin(const ScanOptions& o, const ScanResult& r, const FixArgs& a) {
  AutofixResult plan = plan_fixes(o, r, a.unsafe_fixes);
  print_notes(plan, a);
  std::cout << (plan.files.empty() ? *o.stdin_text : plan.files[0].bom + plan.files[0].after);
  std::cout.flush();
  print_fixed(plan, a, "fixed");
  const size_t left = plan.rescan.findings.size();
  if (!a.quiet && left) std::cerr << "raceaudit: " << count(left, "finding remains", "findings remain") << '\n';
  if (a.exit_non_zero_on_fix && plan.fixed_count()) return 1;
  return left ? 1 : 0;
}

int print_fix_diff(const ScanOptions& o, const ScanResult& r, const FixArgs& a) {
  const AutofixResult plan = plan_fixes(o, r, a.unsafe_fixes);
  print_notes(plan, a);
  for (const FixedFile& f : plan.files) std::cout << unified_diff(f.path, f.before, f.after);
  std::cout.flush();
  print_fixed(plan, a, "would fix");
  return plan.files.empty() ? 0 : 1;
}

}  // namespace raceaudit::cli
