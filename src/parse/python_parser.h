// Thin owner of a tree-sitter parser for Python. One per worker thread.
#pragma once

#include <memory>
#include <string_view>

#include <tree_sitter/api.h>

extern "C" const TSLanguage* tree_sitter_python(void);

namespace raceaudit {

struct TreeDeleter {
  void operator()(TSTree* t) const { ts_tree_delete(t); }
};
using TreePtr = std::unique_ptr<TSTree, TreeDeleter>;

class PythonParser {
 public:
  PythonParser();
  ~PythonParser();
  PythonParser(const PythonParser&) = delete;
  PythonParser& operator=(const PythonParser&) = delete;

  // Parses UTF-8 text; never returns null for text under 4 GiB.
  TreePtr parse(std::string_view text);

 private:
  TSParser* parser_;
};

}  // namespace raceaudit
