#include "parse/python_parser.h"

#include <malloc.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <stdexcept>

namespace raceaudit {
namespace {

// Bytes held through tree-sitter's allocator by this thread (signed: a block
// may be freed by another thread than the one that allocated it).
thread_local int64_t t_held = 0;
thread_local bool t_failed = false;
// Freed when an allocation fails, so that the parse can be cancelled cleanly.
std::atomic<void*> g_reserve{nullptr};
constexpr size_t kReserveBytes = 32u << 20;

int64_t usable(void* p) { return p ? static_cast<int64_t>(malloc_usable_size(p)) : 0; }

template <class Alloc>
void* retry_after_failure(Alloc alloc) {
  t_failed = true;
  if (void* r = g_reserve.exchange(nullptr)) std::free(r);
  if (void* p = alloc()) return p;
  std::fputs("raceaudit: error: out of memory in the parser\n", stderr);
  std::abort();
}

void* ts_malloc(size_t n) {
  void* p = std::malloc(n);
  if (!p && n) p = retry_after_failure([n] { return std::malloc(n); });
  t_held += usable(p);
  return p;
}

void* ts_calloc(size_t count, size_t n) {
  void* p = std::calloc(count, n);
  if (!p && count && n) p = retry_after_failure([count, n] { return std::calloc(count, n); });
  t_held += usable(p);
  return p;
}

void* ts_realloc(void* old, size_t n) {
  const int64_t before = usable(old);
  void* p = std::realloc(old, n);
  if (!p && n) p = retry_after_failure([old, n] { return std::realloc(old, n); });
  t_held += usable(p) - before;
  return p;
}

void ts_free(void* p) {
  t_held -= usable(p);
  std::free(p);
}

void install_allocator() {
  static std::once_flag once;
  std::call_once(once, [] { ts_set_allocator(ts_malloc, ts_calloc, ts_realloc, ts_free); });
}

struct Budget {
  int64_t start;
  uint64_t max;
  bool too_large = false;
};

bool cancel_parse(TSParseState* state) {
  auto* b = static_cast<Budget*>(state->payload);
  if (t_failed) return true;
  if (t_held - b->start > 0 && static_cast<uint64_t>(t_held - b->start) > b->max) b->too_large = true;
  return b->too_large;
}

}  // namespace

PythonParser::PythonParser() {
  install_allocator();
  parser_ = ts_parser_new();
  if (!ts_parser_set_language(parser_, tree_sitter_python()))
    throw std::runtime_error("tree-sitter-python grammar ABI does not match the tree-sitter runtime");
}

PythonParser::~PythonParser() { ts_parser_delete(parser_); }

TreePtr PythonParser::parse(std::string_view text, uint64_t max_tree_bytes, ParseFailure* why) {
  if (why) *why = ParseFailure::None;
  if (!g_reserve.load()) {
    void* r = std::malloc(kReserveBytes);
    void* expected = nullptr;
    if (r && !g_reserve.compare_exchange_strong(expected, r)) std::free(r);
  }
  ts_parser_reset(parser_);
  t_failed = false;
  Budget budget{t_held, max_tree_bytes};
  TSInput input{};
  struct Text {
    std::string_view s;
  } source{text};
  input.payload = &source;
  input.read = [](void* payload, uint32_t byte, TSPoint, uint32_t* read) -> const char* {
    const std::string_view s = static_cast<Text*>(payload)->s;
    if (byte >= s.size()) {
      *read = 0;
      return "";
    }
    *read = static_cast<uint32_t>(s.size() - byte);
    return s.data() + byte;
  };
  input.encoding = TSInputEncodingUTF8;
  TSParseOptions options{&budget, cancel_parse};
  TreePtr tree(ts_parser_parse_with_options(parser_, nullptr, input, options));
  const bool failed = t_failed;
  t_failed = false;
  if (failed || budget.too_large || !tree) {
    tree.reset();
    ts_parser_reset(parser_);  // frees what the cancelled parse holds
    if (why) *why = failed ? ParseFailure::OutOfMemory : budget.too_large ? ParseFailure::TreeTooLarge : ParseFailure::GaveUp;
  }
  return tree;
}

}  // namespace raceaudit
