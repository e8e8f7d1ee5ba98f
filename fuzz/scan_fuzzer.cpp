// libFuzzer target: arbitrary bytes through the whole scan pipeline except
// discovery and file I/O: decode_source -> lower_text -> Project (linking) ->
// every rule -> the column conversion the report does. See docs/reliability.md.
//
// The input may hold several files (fuzz/fuzz_input.h) so that linking across
// modules (imports, bases, calls) is fuzzed too.
//
// Besides crashes and sanitizer reports it checks invariants and aborts when
// one fails:
//   - decoded text is valid UTF-8 with no NUL byte and no lone CR;
//   - every finding names one of the modules, a line inside it and a known rule;
//   - every access's scope and lockset index is in range;
//   - blanking whole-line comments before parsing (tree-sitter-python is
//     quadratic in comment runs) touches only what the parser calls a comment,
//     and lowering the original text gives the same facts as lowering the
//     blanked one (a differential oracle).
//
// Unbounded recursion must not hide behind a big stack: LLVMFuzzerInitialize
// caps the stack at 1 MiB (RLIMIT_STACK; the main thread's stack grows
// on demand up to it) and lowering runs with max_depth 50 instead of 1000. A walk that is
// depth-bounded needs a small constant stack; one that recurses per level of
// input overflows within a few thousand levels, which the fuzzer reaches.
#include <sys/resource.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "driver/analyze.h"
#include "facts/places.h"
#include "fuzz_input.h"
#include "facts/lower.h"
#include "link/project.h"
#if __has_include("parse/comment_lines.h")
#include "parse/comment_lines.h"
#define RACEAUDIT_FUZZ_HAVE_BLANKING 1
#endif
#include "parse/python_parser.h"
#include "rules/rule.h"
#include "scan/scan.h"
#include "util/source_text.h"

namespace {

constexpr size_t kMaxInput = 1 << 20;
// Overridable for experiments: RACEAUDIT_FUZZ_STACK_KB, RACEAUDIT_FUZZ_MAX_DEPTH.
rlim_t stack_bytes = 1024 * 1024;
unsigned max_depth = 50;

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "scan_fuzzer: invariant violated: %s: %s\n", what, detail.c_str());
  std::abort();
}

// Written apart from util/source_text.cpp on purpose: the invariant must not
// share a bug with the decoder it checks.
size_t utf8_length(std::string_view s, size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  size_t n;
  uint32_t cp;
  if (c < 0x80) return 1;
  if ((c & 0xE0) == 0xC0) { n = 2; cp = c & 0x1F; }
  else if ((c & 0xF0) == 0xE0) { n = 3; cp = c & 0x0F; }
  else if ((c & 0xF8) == 0xF0) { n = 4; cp = c & 0x07; }
  else return 0;
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    const auto d = static_cast<unsigned char>(s[i + k]);
    if ((d & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (d & 0x3F);
  }
  if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
      (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;
  return n;
}

void check_decoded(const std::string& text, const std::string& path) {
  for (size_t i = 0; i < text.size();) {
    if (text[i] == '\0') fail("NUL byte left in decoded text", path + " at byte " + std::to_string(i));
    if (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n'))
      fail("lone CR left in decoded text", path + " at byte " + std::to_string(i));
    const size_t n = utf8_length(text, i);
    if (n == 0) fail("invalid UTF-8 in decoded text", path + " at byte " + std::to_string(i));
    i += n;
  }
}

// blank_comment_lines may only touch bytes that tree-sitter, on the original
// text, reads as a comment: checked when the original parses without error
// (with an error the grammar's own idea of a comment is unreliable).
// Returns true when something was blanked and the original text parses
// cleanly (then lowering it must give the same facts: check_blanking_keeps_facts).
bool check_comment_blanking([[maybe_unused]] const std::string& text, [[maybe_unused]] const std::string& path) {
#ifdef RACEAUDIT_FUZZ_HAVE_BLANKING
  const std::string blanked = raceaudit::blank_comment_lines(text);
  if (blanked.empty()) return false;
  if (blanked.size() != text.size()) fail("blanking changed the length", path);
  static thread_local raceaudit::PythonParser parser;
  raceaudit::TreePtr tree = parser.parse(text);
  if (!tree) return false;
  const TSNode root = ts_tree_root_node(tree.get());
  if (ts_node_has_error(root)) return false;
  std::vector<std::pair<uint32_t, uint32_t>> comments;
  bool python_rejects = false;
  TSTreeCursor c = ts_tree_cursor_new(root);
  for (bool more = true; more;) {
    const TSNode n = ts_tree_cursor_current_node(&c);
    const std::string_view type = ts_node_type(n);
    if (type == "comment") comments.emplace_back(ts_node_start_byte(n), ts_node_end_byte(n));
    // tree-sitter accepts a single-quoted string that runs over a line end
    // (`'abc<newline>def'`); CPython rejects it, and so does the blanking
    // tokenizer (raceaudit reports it as a syntax error): the two may disagree.
    if (type == "string" && !python_rejects) {
      const std::string_view t = std::string_view(text).substr(ts_node_start_byte(n), ts_node_end_byte(n) - ts_node_start_byte(n));
      const size_t q = t.find_first_of("'\"");
      const bool triple = q != std::string_view::npos && t.size() >= q + 3 && t[q + 1] == t[q] && t[q + 2] == t[q];
      for (size_t j = 0; !triple && j < t.size(); ++j)
        if (t[j] == '\\') ++j;
        else if (t[j] == '\n') python_rejects = true;
    }
    if (ts_tree_cursor_goto_first_child(&c)) continue;
    while (!ts_tree_cursor_goto_next_sibling(&c))
      if (!ts_tree_cursor_goto_parent(&c)) {
        more = false;
        break;
      }
  }
  ts_tree_cursor_delete(&c);
  if (python_rejects) return false;
  size_t k = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == blanked[i]) continue;
    if (blanked[i] != ' ') fail("blanking wrote something other than a space", path + " at byte " + std::to_string(i));
    while (k < comments.size() && comments[k].second <= i) ++k;
    if (k == comments.size() || comments[k].first > i)
      fail("blanking touched a byte outside any comment", path + " at byte " + std::to_string(i));
  }
  return true;
#else
  return false;
#endif
}

// Differential oracle for the blanking: lowering the original text (comments
// and all) must record the same scopes, accesses, guarded pairs, calls and
// locksets as lower_text, which lowers the blanked copy. Blanking keeps every
// byte offset, so spans compare as they are; texts taken from the source
// compare without comments and white space (a comment inside an expression is
// spaces in the blanked copy).
std::string norm(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '#') {
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (!std::isspace(static_cast<unsigned char>(text[i]))) {
      out += text[i];
    }
  }
  return out;
}

std::string facts_signature(const raceaudit::ModuleFacts& m) {
  std::string sig;
  auto span = [&](const raceaudit::Span& s) {
    sig += std::to_string(s.line) + ':' + std::to_string(s.col) + '-' + std::to_string(s.end_line) + ':' +
           std::to_string(s.end_col) + ' ';
  };
  for (const auto& sc : m.scopes) sig += "scope " + norm(sc.qualname) + '\n';
  for (size_t i = 0; i < m.places.size(); ++i)
    sig += "place " + std::to_string(static_cast<int>(m.places[i].root)) + ' ' +
           norm(raceaudit::place_text(m, static_cast<raceaudit::PlaceId>(i))) + '\n';
  for (const auto& a : m.accesses) {
    sig += "access " + std::to_string(static_cast<int>(a.kind)) + ' ' + std::to_string(a.place) + " `" + norm(a.text) +
           "` " + std::to_string(a.scope) + ' ' + std::to_string(a.lockset) + ' ' +
           std::to_string(static_cast<int>(a.op)) + ' ' + std::to_string(static_cast<int>(a.check)) + ' ' +
           norm(m.value_text(a)) + ' ';
    span(a.span);
    sig += '\n';
  }
  for (const auto& g : m.guarded) sig += "guard " + std::to_string(g.check) + ' ' + std::to_string(g.act) + '\n';
  for (const auto& c : m.calls) {
    sig += "call " + std::to_string(c.scope) + ' ' + std::to_string(c.lockset) + ' ' + std::to_string(c.thread_target) +
           ' ' + std::to_string(c.callee) + ' ';
    span(c.span);
    sig += '\n';
  }
  for (const auto& l : m.locksets) {
    sig += "lockset";
    for (auto k : l) sig += ' ' + std::to_string(k);
    sig += '\n';
  }
  return sig;
}

void check_blanking_keeps_facts(const std::string& text, const std::string& path, const raceaudit::ModuleFacts& scanned,
                                const raceaudit::LowerOptions& options) {
  static thread_local raceaudit::PythonParser parser;
  raceaudit::TreePtr tree = parser.parse(text);
  if (!tree) return;
  raceaudit::ModuleFacts direct;
  direct.path = scanned.path;
  direct.module_name = scanned.module_name;
  raceaudit::lower_module(tree.get(), text, options, direct);
  const std::string want = facts_signature(direct), got = facts_signature(scanned);
  if (want == got) return;
  size_t at = 0;
  while (at < want.size() && at < got.size() && want[at] == got[at]) ++at;
  const size_t line_start = want.rfind('\n', at) == std::string::npos ? 0 : want.rfind('\n', at) + 1;
  fail("lowering the comment-blanked text changed the facts",
       path + ": unblanked `" + want.substr(line_start, want.find('\n', at) - line_start) + "` vs blanked `" +
           got.substr(line_start, got.find('\n', at) - line_start) + "`");
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  if (const char* kb = std::getenv("RACEAUDIT_FUZZ_STACK_KB"); kb && *kb) stack_bytes = std::strtoull(kb, nullptr, 10) * 1024;
  if (const char* d = std::getenv("RACEAUDIT_FUZZ_MAX_DEPTH"); d && *d) max_depth = static_cast<unsigned>(std::strtoul(d, nullptr, 10));
  if (stack_bytes == 0) return 0;  // RACEAUDIT_FUZZ_STACK_KB=0: keep the stack as it is
  rlimit rl{};
  if (getrlimit(RLIMIT_STACK, &rl) == 0 && (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > stack_bytes)) {
    rl.rlim_cur = stack_bytes;
    setrlimit(RLIMIT_STACK, &rl);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace raceaudit;
  if (size > kMaxInput) return -1;
  const std::vector<fuzz::FuzzFile> files =
      fuzz::split_fuzz_input(std::string_view(reinterpret_cast<const char*>(data), size));

  LowerOptions lower;
  lower.max_depth = max_depth;
  lower.extra_init_methods = {"setup", "reset"};

  std::vector<ModuleFacts> modules;
  std::vector<std::string> texts;
  modules.reserve(files.size());
  for (const auto& f : files) {
    SourceText src = decode_source(f.bytes);
    check_decoded(src.text, f.path);
    const bool comparable = check_comment_blanking(src.text, f.path);
    ModuleFacts mf = lower_text(src.text, f.path, f.module_name, lower);
    if (comparable) check_blanking_keeps_facts(src.text, f.path, mf, lower);
    mf.is_package = f.is_package;
    for (size_t i = 0; i < mf.accesses.size(); ++i) {
      const Access& a = mf.accesses[i];
      if (a.scope < 0 || static_cast<size_t>(a.scope) >= mf.scopes.size()) fail("access scope out of range", f.path);
      if (a.lockset >= mf.locksets.size()) fail("access lockset out of range", f.path);
    }
    for (const Call& c : mf.calls)
      if (c.scope < 0 || static_cast<size_t>(c.scope) >= mf.scopes.size() || c.lockset >= mf.locksets.size())
        fail("call scope or lockset out of range", f.path);
    for (const GuardedAct& g : mf.guarded)
      if (g.check >= mf.accesses.size() || g.act >= mf.accesses.size()) fail("guarded pair out of range", f.path);
    modules.push_back(std::move(mf));
    texts.push_back(std::move(src.text));
  }

  // Linking, with options that switch on the configurable paths.
  LinkOptions link;
  link.extra_lock_factories = {"mylib.SpinLock"};
  if (size > 0 && (data[0] & 1)) link.shared_classes = {"A", "Store"};
  if (size > 0 && (data[0] & 2)) link.confined_classes = {"B", "Node"};
  const Analysis analysis = analyze(std::move(modules), link);
  const Project& project = analysis.project;
  const std::vector<Finding>& findings = analysis.findings;
  std::unordered_set<std::string> codes;
  for (const auto& rule : all_rules()) codes.insert(std::string(rule->info().code));

  // What finish_findings and the text report do with a finding's position.
  for (const Finding& f : findings) {
    size_t m = 0;
    while (m < project.modules().size() && project.module(static_cast<uint32_t>(m)).path != f.path) ++m;
    if (m == project.modules().size()) fail("finding in an unknown file", f.path);
    if (!codes.count(f.code)) fail("finding with an unknown code", f.code);
    const std::string_view text = texts[m];
    const size_t lines = static_cast<size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
    if (f.span.line == 0 || f.span.line > lines)
      fail("finding line out of range", f.path + ":" + std::to_string(f.span.line));
    const std::string_view line = line_of(text, f.span.line);
    (void)byte_to_char_column(line, f.span.col);
    (void)byte_to_char_column(line_of(text, f.span.end_line), f.span.end_col);
    if (f.related) (void)byte_to_char_column(line_of(text, f.related->span.line), f.related->span.col);
  }
  return 0;
}
