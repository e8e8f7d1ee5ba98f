#include "scan/scan.h"

#include "driver/analyze.h"
#include "diag/suppression_index.h"

#include <algorithm>
#include <atomic>
#include <new>
#include <optional>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "parse/comment_lines.h"
#include "parse/indentation.h"
#include "parse/python_parser.h"
#include "rules/rule.h"
#include "scan/fingerprint.h"
#include "scan/project_context.h"
#include "util/source_text.h"

namespace raceaudit {
namespace {

// The first syntax error in a tree: an ERROR node or a MISSING token. The walk
// descends only into children that contain an error, iteratively.
bool first_syntax_error(TSNode root, std::string_view text, bool echo_source, Diagnostic& out) {
  if (!ts_node_has_error(root)) return false;
  TSNode n = root;
  for (int guard = 0; guard < 1'000'000; ++guard) {
    if (ts_node_is_missing(n)) {
      const TSPoint p = ts_node_start_point(n);
      out = {Span{p.row + 1, p.column + 1, p.row + 1, p.column + 1},
             std::string("syntax error: missing `") + ts_node_type(n) + "`"};
      return true;
    }
    if (ts_node_is_error(n)) {
      const TSPoint p = ts_node_start_point(n);
      if (!echo_source) {
        out = {Span{p.row + 1, p.column + 1, p.row + 1, p.column + 1},
               "syntax error; the rest of the file is analysed as far as it parses"};
        return true;
      }
      const uint32_t b = ts_node_start_byte(n);
      std::string snippet(text.substr(b, std::min<size_t>(20, text.size() - std::min<size_t>(b, text.size()))));
      snippet = snippet.substr(0, snippet.find('\n'));
      out = {Span{p.row + 1, p.column + 1, p.row + 1, p.column + 1},
             "syntax error near `" + snippet + "`; the rest of the file is analysed as far as it parses"};
      return true;
    }
    TSTreeCursor c = ts_tree_cursor_new(n);
    bool moved = false;
    if (ts_tree_cursor_goto_first_child(&c)) {
      do {
        TSNode ch = ts_tree_cursor_current_node(&c);
        if (ts_node_has_error(ch) || ts_node_is_missing(ch)) {
          n = ch;
          moved = true;
          break;
        }
      } while (ts_tree_cursor_goto_next_sibling(&c));
    }
    ts_tree_cursor_delete(&c);
    if (!moved) {
      const TSPoint p = ts_node_start_point(n);
      out = {Span{p.row + 1, p.column + 1, p.row + 1, p.column + 1}, "syntax error"};
      return true;
    }
  }
  return false;
}

// `scan -`: the one file read from stdin, named paths[0] (--stdin-filename),
// unless --force-exclude and a pattern matches that name.
DiscoverResult stdin_file(const ScanOptions& o) {
  DiscoverResult r;
  const std::string& name = o.paths.front();
  if (o.discover.force_exclude && any_excludes(o.discover.exclude, absolute_path(name), o.discover.base)) return r;
  DiscoveredFile f;
  f.path = name;
  f.module_name = module_name_for(name, f.is_package);
  r.files.push_back(std::move(f));
  return r;
}

bool selected(const std::string& code, const ScanOptions& o) {
  bool sel = o.select.empty();
  for (const auto& s : o.select) sel = sel || code_matches(code, s);
  for (const auto& s : o.ignore)
    if (code_matches(code, s)) return false;
  return sel;
}

}  // namespace

bool ignored_for_file(const std::string& path, const std::string& code, const ScanOptions& o) {
  if (o.per_file_ignores.empty()) return false;
  const std::string abs = absolute_path(path);
  for (const auto& [glob, codes] : o.per_file_ignores)
    if (glob_excludes(glob, abs, o.discover.base))
      for (const auto& c : codes)
        if (code_matches(code, c)) return true;
  return false;
}

bool code_matches(const std::string& code, const std::string& selector) {
  if (selector == "ALL") return true;
  return !selector.empty() && code.compare(0, selector.size(), selector) == 0;
}

ModuleFacts lower_text(std::string_view text, const std::string& path, const std::string& module_name,
                       const LowerOptions& options, uint64_t max_tree_bytes, bool echo_source) {
  thread_local PythonParser parser;
  ModuleFacts facts;
  facts.path = path;
  facts.module_name = module_name;
  facts.bytes = text.size();
  facts.is_package = path.size() >= 11 && path.compare(path.size() - 11, 11, "__init__.py") == 0;
  // Parse and lower a copy without whole-line comments (see comment_lines.h);
  // suppression comments are read from the original.
  const std::string blanked = blank_comment_lines(text);
  const std::string_view code = blanked.empty() ? text : std::string_view(blanked);
  ParseFailure why = ParseFailure::None;
  TreePtr tree = parser.parse(code, max_tree_bytes, &why);
  if (!tree) {
    facts.diagnostics.push_back(
        {Span{}, why == ParseFailure::TreeTooLarge
                     ? "its syntax tree would take more than " + std::to_string(max_tree_bytes >> 20) + " MiB; skipped"
                 : why == ParseFailure::OutOfMemory ? std::string("not enough memory to parse it; skipped")
                                                    : std::string("the parser gave up on this file")});
    return facts;
  }
  Diagnostic d;
  std::optional<Diagnostic> bad;
  if (first_syntax_error(ts_tree_root_node(tree.get()), code, echo_source, d)) bad = std::move(d);
  else bad = check_indentation(code);
  if (bad) {
    bad->syntax_error = true;
    facts.diagnostics.push_back(std::move(*bad));
  }
  lower_module(tree.get(), code, options, facts);
  collect_suppressions(text, facts);
  return facts;
}

ScanResult run_scan(const ScanOptions& o) {
  ScanResult result;
  DiscoverResult found = o.stdin_text ? stdin_file(o) : discover(o.paths, o.discover);
  result.errors = std::move(found.errors);
  for (auto& w : found.warnings) result.diagnostics.push_back({w.substr(0, w.find(": ")), Span{}, w.substr(w.find(": ") + 2)});
  result.files = found.files.size();
  for (const auto& f : found.files) result.scanned_paths.push_back(f.path);
  if (result.errors.empty()) result.partial = add_project_context(found, o);
  std::unordered_set<std::string> context;  // paths of the files only read for linking
  for (const auto& f : found.files)
    if (f.context) context.insert(f.path);

  // Parse and lower in parallel: workers take the next file from an atomic counter.
  std::vector<ModuleFacts> modules(found.files.size());
  std::atomic<size_t> next{0};
  std::atomic<size_t> done{0};
  auto worker = [&] {
    for (size_t i = next++; i < found.files.size(); i = next++) {
      struct Tick {
        const ScanOptions& o;
        std::atomic<size_t>& done;
        size_t total;
        ~Tick() {
          const size_t d = ++done;
          if (o.progress) o.progress(d, total);
        }
      } tick{o, done, found.files.size()};
      const DiscoveredFile& f = found.files[i];
      ModuleFacts& mf = modules[i];
      auto fail = [&](std::string message) {
        mf = ModuleFacts{};
        mf.path = f.path;
        mf.module_name = f.module_name;
        mf.is_package = f.is_package;
        mf.diagnostics.push_back({Span{}, std::move(message)});
      };
      std::string bytes, error;
      bool too_large = false;
      if (auto given = o.texts.find(f.path); given != o.texts.end()) {
        bytes = given->second;
      } else if (o.stdin_text && !f.context) {  // the one named file is the one read from stdin
        bytes = *o.stdin_text;
        if (bytes.size() > o.max_file_bytes) {
          fail("more than " + std::to_string(o.max_file_bytes) + " bytes on stdin; skipped");
          continue;
        }
      } else if (!read_file(f.path, bytes, error, o.max_file_bytes, &too_large)) {
        fail(too_large ? error + "; skipped" : "cannot read file: " + error);
        continue;
      }
      // Running out of memory on one file (decoding, lowering) skips that file only.
      try {
        SourceText src = decode_source(std::move(bytes));
        mf = lower_text(src.text, f.path, f.module_name, o.lower, o.max_tree_bytes, !f.outside_roots);
        mf.is_package = f.is_package;
        for (auto& w : src.warnings) mf.diagnostics.insert(mf.diagnostics.begin(), {Span{}, std::move(w)});
      } catch (const std::bad_alloc&) {
        fail("not enough memory to analyse it; skipped");
      }
    }
  };
  unsigned jobs = o.jobs ? o.jobs : std::max(1u, std::thread::hardware_concurrency());
  jobs = static_cast<unsigned>(std::min<size_t>(jobs, std::max<size_t>(1, found.files.size())));
  if (jobs <= 1) {
    worker();
  } else {
    std::vector<std::thread> threads;
    for (unsigned j = 0; j < jobs; ++j) threads.emplace_back(worker);
    for (auto& t : threads) t.join();
  }

  for (const auto& mf : modules) {
    if (context.count(mf.path)) continue;
    result.bytes += mf.bytes;
    for (const auto& d : mf.diagnostics) result.diagnostics.push_back({mf.path, d.span, d.message, d.syntax_error});
  }

  Analysis analysis = analyze(std::move(modules), o.link,
                              [&](std::string_view code) { return selected(std::string(code), o); });
  const Project& project = analysis.project;
  std::vector<Finding>& raw = analysis.findings;

  // Suppressions, per-file ignores, confidence.
  std::unordered_map<std::string, uint32_t> module_of;
  for (uint32_t m = 0; m < project.modules().size(); ++m) module_of.emplace(project.module(m).path, m);
  std::vector<std::vector<bool>> used(project.modules().size());
  std::vector<SuppressionIndex> suppressions;
  suppressions.reserve(project.modules().size());
  for (uint32_t m = 0; m < project.modules().size(); ++m) {
    used[m].assign(project.module(m).suppressions.size(), false);
    suppressions.emplace_back(project.module(m).suppressions);
  }
  for (auto& f : raw) {
    if (context.count(f.path)) continue;
    const bool shown = f.confidence >= o.min_confidence;
    if (ignored_for_file(f.path, f.code, o)) continue;
    const uint32_t m = module_of.at(f.path);
    const ModuleFacts& mf = project.module(m);
    if (mf.ignore_file) {
      if (shown) ++result.suppressed;
      continue;
    }
    const std::vector<size_t> silencing = suppressions[m].matching(f);
    for (size_t i : silencing) used[m][i] = true;
    const bool suppressed = !silencing.empty();
    // A suppression counts as used even for a finding below --min-confidence:
    // the comment is not stale, the finding is only hidden today.
    if (suppressed) {
      if (shown) ++result.suppressed;
      continue;
    }
    if (shown) result.findings.push_back(std::move(f));
  }
  if (o.report_unused_suppressions)
    for (uint32_t m = 0; m < project.modules().size(); ++m)
      for (size_t i = 0; i < used[m].size(); ++i)
        if (!used[m][i] && !context.count(project.module(m).path)) {
          const Suppression& s = project.module(m).suppressions[i];
          result.unused_suppressions.push_back({project.module(m).path, Span{s.line, 1, s.line, 1},
                                                "unused suppression comment"});
        }

  std::sort(result.findings.begin(), result.findings.end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.path, a.span.line, a.span.col, a.code, a.message) <
           std::tie(b.path, b.span.line, b.span.col, b.code, b.message);
  });
  result.findings.erase(std::unique(result.findings.begin(), result.findings.end(),
                                    [](const Finding& a, const Finding& b) {
                                      return a.path == b.path && a.span.line == b.span.line &&
                                             a.span.col == b.span.col && a.code == b.code && a.message == b.message;
                                    }),
                        result.findings.end());
  std::sort(result.diagnostics.begin(), result.diagnostics.end(), [](const auto& a, const auto& b) {
    return std::tie(a.path, a.span.line, a.message) < std::tie(b.path, b.span.line, b.message);
  });
  std::map<std::string, std::string> given = o.texts;
  if (o.stdin_text) given.emplace(o.paths.front(), decode_source(*o.stdin_text).text);
  finish_findings(result.findings, o.project_root, given);
  return result;
}

}  // namespace raceaudit
