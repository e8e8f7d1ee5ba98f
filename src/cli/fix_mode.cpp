#include "cli/fix_mode.h"

#include <algorithm>
#include <iostream>
#include <map>

#include "cli/commands.h"
#include "driver/autofix.h"
#include "fix/diff.h"
#include "fix/suppress.h"
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

// The lines on which a comment silences a finding, in order of preference.
std::vector<uint32_t> suppression_lines(const Finding& f) {
  std::vector<uint32_t> lines{f.span.line};
  for (uint32_t l : {f.stmt.end_line, f.stmt.line})
    if (l && std::find(lines.begin(), lines.end(), l) == lines.end()) lines.push_back(l);
  return lines;
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

int add_suppression_comments(const ScanOptions& o, const ScanResult& r, const FixArgs& a) {
  std::map<std::string, std::vector<SuppressionTarget>> by_file;
  for (const Finding& f : r.findings) by_file[f.path].push_back({f.code, suppression_lines(f)});
  size_t added = 0, merged = 0, files = 0;
  bool ok = true;
  for (const auto& [path, targets] : by_file) {
    std::string raw, error;
    if (!read_file(path, raw, error)) {
      print_error(error);
      ok = false;
      continue;
    }
    const std::string text = decode_source(raw).text;
    static const std::string kBom = "\xEF\xBB\xBF";
    const std::string bom = raw.compare(0, kBom.size(), kBom) == 0 ? kBom : "";
    if (raw != bom + text) {
      print_error("not writing " + path + ": it is not plain UTF-8 (a coding cookie, invalid bytes, CR line ends or NUL bytes)");
      ok = false;
      continue;
    }
    const SuppressionEdits e = add_suppressions(text, targets);
    for (size_t i : e.unplaced)
      std::cerr << "raceaudit: note: " << display_path(path) << ": no line of the " << targets[i].code
                << " finding can end in a comment; not suppressed\n";
    if (e.text == text) continue;
    if (!replace_file(path, bom + e.text, error)) {
      print_error(error);
      ok = false;
      continue;
    }
    added += e.added;
    merged += e.merged;
    ++files;
  }
  const ScanResult after = run_scan(o);
  if (!a.quiet) {
    std::cerr << "raceaudit: added " << count(added, "suppression comment", "suppression comments");
    if (merged) std::cerr << " and extended " << count(merged, "comment", "comments");
    std::cerr << " in " << count(files, "file", "files") << '\n';
  }
  size_t left = 0;
  for (const Finding& n : after.findings)
    left += std::any_of(r.findings.begin(), r.findings.end(), [&](const Finding& f) {
      return f.path == n.path && f.code == n.code && f.scope == n.scope && f.target == n.target;
    });
  if (left)
    std::cerr << "raceaudit: note: " << count(left, "finding is", "findings are")
              << " still reported after adding suppressions\n";
  return ok ? 0 : 2;
}

}  // namespace raceaudit::cli
