// What built-in functions, itertools and compat helpers do with the iterables
// they are given: iterate them now, wrap them in a lazy iterator, or copy them
// in one step. Read by lowering; the copies follow CPython's
// Doc/library/threadsafety.rst (see docs/analysis-model.md, "Iteration").
#pragma once

#include <cstddef>
#include <string_view>

#include "facts/facts.h"

namespace raceaudit {

enum class IterUse : uint8_t {
  None,
  Consume,     // iterates its argument now: min, max, sum, any, all, tuple, copy.deepcopy
  Adapter,     // a lazy iterator over its arguments: zip, chain, enumerate, reversed, iter, map, filter
  Copy,        // copies the container itself in one locked step: list, sorted, set, frozenset, dict, copy.copy
  DictHelper,  // six.iteritems(d) and friends: iterate the dict argument
};

// How a call uses its positional arguments `first` .. (`all_after`: and every
// one after it) as iterables; `op` is the operation recorded on the iteration.
struct IterCall {
  IterUse use = IterUse::None;
  uint8_t first = 0;
  bool all_after = false;
  Op op = Op::None;
};

// `callee` as written (`min`, `itertools.chain`, `six.iteritems`), with its
// number of positional arguments and whether it has a `default=` keyword.
IterCall iteration_call(std::string_view callee, size_t positional, bool has_default);

// `d.items()`, `d.keys()`, `d.values()` and the Python 2 / six spellings
// (`iteritems`, `viewkeys`, ...): the view's Op, else Op::None.
Op view_method_op(std::string_view method);

// A copy made by `callee` is atomic also when its argument is a dict view
// (`list(d.items())`, `sorted(d.keys())`: list.extend locks the dict).
bool copies_views_atomically(std::string_view callee);

// `itertools.count()`: an iterator whose `next()` is one atomic step, so
// threads sharing it never get the same value (CPython's threadsafety
// docs); a generator's `next()` from two threads raises ValueError.
bool advances_atomically(std::string_view factory);

}  // namespace raceaudit
