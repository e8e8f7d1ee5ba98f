#include "models/iteration.h"

#include <array>
#include <utility>

#include "models/table_lookup.h"

namespace raceaudit {

using models::in;
using models::last_part;

namespace {

constexpr std::array<std::pair<std::string_view, Op>, 9> kViews = {{
    {"items", Op::Items},
    {"keys", Op::Keys},
    {"values", Op::Values},
    {"iteritems", Op::Items},
    {"iterkeys", Op::Keys},
    {"itervalues", Op::Values},
    {"viewitems", Op::Items},
    {"viewkeys", Op::Keys},
    {"viewvalues", Op::Values},
}};

// six / future.utils spellings that take the dict as their argument.
bool is_dict_helper(std::string_view callee) {
  const std::string_view f = last_part(callee);
  if (f.size() < 5 || (f.substr(0, 4) != "iter" && f.substr(0, 4) != "view")) return false;
  const std::string_view prefix = callee.substr(0, callee.size() - f.size());
  return prefix.empty() || prefix == "six." || prefix == "future.utils." || prefix == "utils." || prefix == "compat.";
}

}  // namespace

Op view_method_op(std::string_view method) {
  for (const auto& [name, op] : kViews)
    if (name == method) return op;
  return Op::None;
}

bool copies_views_atomically(std::string_view callee) { return callee == "list" || callee == "sorted"; }

bool advances_atomically(std::string_view factory) { return factory == "itertools.count" || factory == "count"; }

IterCall iteration_call(std::string_view callee, size_t positional, bool has_default) {
  if (positional == 0) return {};
  // min(a, b) compares its arguments; only min(iterable) iterates.
  if ((callee == "min" || callee == "max") && positional == 1)
    return {IterUse::Consume, 0, false, has_default ? Op::Consume : Op::MinMax};
  static constexpr std::array<std::string_view, 6> consumers = {"sum", "any", "all", "tuple", "copy.deepcopy",
                                                                "deepcopy"};
  if (in(callee, consumers) && positional <= 2) return {IterUse::Consume, 0, false, Op::Consume};
  static constexpr std::array<std::string_view, 6> copies = {"list", "sorted", "set", "frozenset", "dict",
                                                             "copy.copy"};
  if (in(callee, copies) && positional == 1) return {IterUse::Copy, 0, false, Op::Consume};
  if (callee == "zip" || callee == "chain" || callee == "itertools.chain") return {IterUse::Adapter, 0, true, Op::None};
  if (callee == "map") return {IterUse::Adapter, 1, true, Op::None};
  if (callee == "filter" && positional == 2) return {IterUse::Adapter, 1, false, Op::None};
  if (callee == "enumerate" || callee == "reversed" || (callee == "iter" && positional == 1))
    return {IterUse::Adapter, 0, false, Op::None};
  if (is_dict_helper(callee)) {
    const Op op = view_method_op(last_part(callee));
    if (op != Op::None && positional == 1) return {IterUse::DictHelper, 0, false, op};
  }
  return {};
}

}  // namespace raceaudit
