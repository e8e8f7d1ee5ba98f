// Thin owner of a tree-sitter parser for Python. One per worker thread.
//
// tree-sitter aborts the process when an allocation fails. The parser
// installs its own allocator (once per process) that counts what each thread
// holds and, on failure, frees a reserve, retries and has the parse cancelled,
// so that running out of memory, or a tree above the per-file cap, is a
// failure of this file only.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include <tree_sitter/api.h>

extern "C" const TSLanguage* tree_sitter_python(void);

namespace raceaudit {

struct TreeDeleter {
  void operator()(TSTree* t) const { ts_tree_delete(t); }
};
using TreePtr = std::unique_ptr<TSTree, TreeDeleter>;

enum class ParseFailure : uint8_t {
  None,
  TreeTooLarge,  // the tree would take more than the cap
  OutOfMemory,   // an allocation failed during the parse
  GaveUp,        // tree-sitter returned no tree
};

class PythonParser {
 public:
  PythonParser();
  ~PythonParser();
  PythonParser(const PythonParser&) = delete;
  PythonParser& operator=(const PythonParser&) = delete;

  // Parses UTF-8 text; never returns null for text under 4 GiB that fits the
  // cap. `max_tree_bytes` bounds what tree-sitter may hold for this parse;
  // on null, `why` says what happened.
  TreePtr parse(std::string_view text, uint64_t max_tree_bytes = UINT64_MAX, ParseFailure* why = nullptr);

 private:
  TSParser* parser_;
};

}  // namespace raceaudit
