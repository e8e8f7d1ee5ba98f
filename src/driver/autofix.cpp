#include "driver/autofix.h"

#include <fcntl.h>

#include <algorithm>
#include <map>

#include "fix/apply.h"
#include "util/paths.h"
#include "util/source_text.h"

namespace raceaudit {
namespace {

// Re-scans after which fixes are still being left out give up on the files
// concerned (each round leaves out at least one fix, so this is a bound).
constexpr int kMaxRounds = 8;
// Passes over the fixed texts for fixes an earlier fix overlapped.
constexpr int kMaxPasses = 4;

struct FileState {
  std::string text;                   // decoded, as scanned
  std::string bom;
  std::vector<const Finding*> fixes;  // candidates still in, in report order
  std::string after;                  // `text` with `fixes` applied
  std::vector<AppliedFix> applied;
};

std::string where(const Finding& f) {
  return display_path(f.path) + ":" + std::to_string(f.span.line) + ":" + std::to_string(f.span.col) + ": " + f.code;
}

// What was scanned for `path`, if the fix can be written back as it is: the
// decoded text must be the file's bytes (but for a UTF-8 BOM), else a
// rewrite would also re-encode the rest of the file.
bool load(const ScanOptions& o, const ScanResult& scanned, const std::string& path, FileState& s, std::string& why) {
  for (const auto& d : scanned.diagnostics)
    if (d.path == path && d.syntax_error) {
      why = "it has a syntax error";
      return false;
    }
  std::string raw;
  if (const auto given = o.texts.find(path); given != o.texts.end()) {
    raw = given->second;  // a later pass: the text the earlier ones made
  } else if (o.stdin_text && path == o.paths.front()) {
    raw = *o.stdin_text;
  } else {
    struct stat st {};
    if (stat_path(path, st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)) {
      why = "it is a symbolic link";
      return false;
    }
    if (!read_file(path, raw, why)) return false;
  }
  s.text = decode_source(raw).text;
  static const std::string kBom = "\xEF\xBB\xBF";
  if (raw.compare(0, kBom.size(), kBom) == 0 && raw.compare(kBom.size(), std::string::npos, s.text) == 0) s.bom = kBom;
  else if (raw != s.text) why = "it is not plain UTF-8 (a coding cookie, invalid bytes, CR line ends or NUL bytes)";
  return why.empty();
}

ApplyResult apply(FileState& s) {
  std::vector<const Fix*> fixes;
  for (const Finding* f : s.fixes) fixes.push_back(&*f->fix);
  ApplyResult r = apply_fixes(s.text, fixes);
  s.after = r.text;
  s.applied = r.applied;
  return r;
}

bool parses(const std::string& text, const std::string& path) {
  const ModuleFacts m = lower_text(text, path, "", {});
  return std::none_of(m.diagnostics.begin(), m.diagnostics.end(), [](const Diagnostic& d) { return d.syntax_error; });
}

void drop(FileState& s, const std::vector<bool>& out) {
  std::vector<const Finding*> keep;
  for (size_t i = 0; i < s.fixes.size(); ++i)
    if (!out[i]) keep.push_back(s.fixes[i]);
  s.fixes = std::move(keep);
}

// The fixes after which the file no longer parses: each one alone; if the
// rest together still break it, all of them.
void drop_syntax_breakers(const std::string& path, FileState& s, std::vector<std::string>& notes) {
  std::vector<bool> out(s.fixes.size(), false);
  for (size_t i = 0; i < s.fixes.size(); ++i) {
    out[i] = !parses(apply_fixes(s.text, {&*s.fixes[i]->fix}).text, path);
    if (out[i]) notes.push_back(where(*s.fixes[i]) + ": fix left out: it leaves a syntax error");
  }
  drop(s, out);
  apply(s);
  if (s.fixes.empty() || parses(s.after, path)) return;
  notes.push_back(display_path(path) + ": fixes left out: together they leave a syntax error");
  s.fixes.clear();
  apply(s);
}

// Is the finding a fix was for still reported, on the lines the fix edited?
bool still_reported(const Finding& f, const AppliedFix& a, const ScanResult& rescan) {
  return std::any_of(rescan.findings.begin(), rescan.findings.end(), [&](const Finding& n) {
    return n.path == f.path && n.code == f.code && n.scope == f.scope && n.target == f.target &&
           n.span.line >= a.first_line && n.span.line <= a.last_line;
  });
}

ScanResult rescan(const ScanOptions& o, const std::map<std::string, FileState>& files) {
  ScanOptions again = o;
  for (const auto& [path, s] : files)
    if (!s.fixes.empty()) again.texts[path] = s.after;
  return run_scan(again);
}

// Leaves out the fixes whose findings the re-scan still reports; true when any.
bool drop_unfixed(std::map<std::string, FileState>& files, const ScanResult& r, std::vector<std::string>& notes) {
  bool any = false;
  for (auto& [path, s] : files) {
    std::vector<bool> out(s.fixes.size(), false);
    for (const AppliedFix& a : s.applied)
      if (still_reported(*s.fixes[a.index], a, r)) {
        out[a.index] = true;
        any = true;
        notes.push_back(where(*s.fixes[a.index]) + ": fix left out: the finding is still reported after it");
      }
    drop(s, out);
  }
  return any;
}

// Adds a later pass's work to the earlier passes': each file keeps the text
// it had before the first.
void merge_pass(AutofixResult& total, AutofixResult&& next) {
  for (FixedFile& f : next.files) {
    auto it = std::find_if(total.files.begin(), total.files.end(), [&](const FixedFile& t) { return t.path == f.path; });
    if (it == total.files.end()) {
      total.files.push_back(std::move(f));
      continue;
    }
    it->after = std::move(f.after);
    it->fixed.insert(it->fixed.end(), f.fixed.begin(), f.fixed.end());
  }
  std::sort(total.files.begin(), total.files.end(), [](const FixedFile& a, const FixedFile& b) { return a.path < b.path; });
  total.rescan = std::move(next.rescan);
  total.overlapping = next.overlapping;
  total.unsafe_not_applied = next.unsafe_not_applied;
  total.notes.insert(total.notes.end(), next.notes.begin(), next.notes.end());
}

}  // namespace

size_t AutofixResult::fixed_count() const {
  size_t n = 0;
  for (const auto& f : files) n += f.fixed.size();
  return n;
}

// One pass: the fixes of `scanned`'s findings, applied to the texts `o` scans.
AutofixResult one_pass(const ScanOptions& o, const ScanResult& scanned, bool unsafe) {
  AutofixResult out;
  std::map<std::string, FileState> files;
  for (const Finding& f : scanned.findings) {
    // Display-only fixes are never applied, and not counted among the unsafe
    // ones left out (ruff does not mention them either).
    if (!f.fix || f.fix->applicability == Applicability::DisplayOnly) continue;
    if (f.fix->applicability == Applicability::Unsafe && !unsafe) ++out.unsafe_not_applied;
    else files[f.path].fixes.push_back(&f);
  }
  for (auto it = files.begin(); it != files.end();) {
    std::string why;
    if (load(o, scanned, it->first, it->second, why)) {
      ++it;
      continue;
    }
    out.notes.push_back(display_path(it->first) + ": not fixed: " + why);
    it = files.erase(it);
  }
  for (auto& [path, s] : files) {
    const ApplyResult r = apply(s);
    std::vector<bool> left_out(s.fixes.size(), false);
    for (size_t i : r.overlapping) left_out[i] = true;
    for (size_t i : r.unplaceable) left_out[i] = true;
    out.overlapping += r.overlapping.size();
    drop(s, left_out);
  }
  if (files.empty()) {
    out.rescan = scanned;
    return out;
  }
  for (int round = 0;; ++round) {
    for (auto& [path, s] : files) {
      apply(s);
      if (!s.fixes.empty() && !parses(s.after, path)) drop_syntax_breakers(path, s, out.notes);
    }
    out.rescan = rescan(o, files);
    if (!drop_unfixed(files, out.rescan, out.notes)) break;
    if (round == kMaxRounds) {
      for (auto& [path, s] : files) s.fixes.clear();
      out.notes.push_back("fixes still failing after " + std::to_string(kMaxRounds) + " re-scans: none applied");
      out.rescan = scanned;
      break;
    }
  }
  for (auto& [path, s] : files) {
    if (s.fixes.empty()) continue;
    FixedFile f{path, s.text, s.after, s.bom, {}};
    for (const Finding* x : s.fixes) f.fixed.push_back(*x);
    out.files.push_back(std::move(f));
  }
  return out;
}

// Fixes left out because an earlier one edits the same text get another
// pass over the fixed texts, as ruff does: the earlier fix may have made
// them unneeded (an update now inside the lock another fix added).
AutofixResult plan_fixes(const ScanOptions& o, const ScanResult& scanned, bool unsafe) {
  AutofixResult total = one_pass(o, scanned, unsafe);
  for (int pass = 1; pass < kMaxPasses && total.overlapping > 0 && !total.files.empty(); ++pass) {
    ScanOptions again = o;
    for (const FixedFile& f : total.files) again.texts[f.path] = f.after;  // decoded, as the first pass scanned it
    AutofixResult next = one_pass(again, total.rescan, unsafe);
    if (next.files.empty()) {
      total.overlapping = next.overlapping;
      break;
    }
    merge_pass(total, std::move(next));
  }
  return total;
}

}  // namespace raceaudit
