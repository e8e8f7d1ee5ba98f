// Lowers one parsed module into ModuleFacts in a single walk over its syntax tree.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <tree_sitter/api.h>

#include "facts/facts.h"

namespace raceaudit {

struct LowerOptions {
  std::vector<std::string> extra_init_methods;  // treated like __init__
  unsigned max_depth = 256;  // deeper syntax is not analysed (diagnostic); CPython itself stops at 200 parentheses
};

// `text` must outlive the call; `facts.path` and `facts.module_name` must be set.
void lower_module(const TSTree* tree, std::string_view text, const LowerOptions& options, ModuleFacts& facts);

// Scans comment text for `# raceaudit: ignore[...]`, `# raceaudit: ignore`,
// `# raceaudit: ignore-file` and `# thread_safe_ok`.
void collect_suppressions(std::string_view text, ModuleFacts& facts);

}  // namespace raceaudit
