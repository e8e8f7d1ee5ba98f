// What the container operations that lowering records mean to the rules:
// which method names are which operation, which take an element out, which
// index, which insert, which empty the container, and how each is spelled in
// messages. One table, read by lowering, the rules and `raceaudit facts`.
// Atomicity follows CPython's Doc/library/threadsafety.rst: each single
// operation on a built-in container is atomic; a check followed by an
// operation is not.
#pragma once

#include <string_view>

#include "facts/facts.h"

namespace raceaudit {

// The operation of `x.<method>(...)` with `nargs` arguments, or Op::None when
// the method does not change a built-in container in place.
Op container_method_op(std::string_view method, size_t nargs);

// `q.empty()`, `q.qsize()`, `q.full()`: queue.Queue's size tests (no arguments).
bool is_queue_size_method(std::string_view method);
// `q.get()` / `q.get(timeout=...)` (no positional argument; `d.get(k)` has
// one) and `q.get_nowait()`: take an item from a queue.Queue.
bool is_queue_get(std::string_view method, size_t positional);

// heapq.heappush / heappop / ... by callee text (`heapq.heappop`, `heappop`), else Op::None.
Op heapq_op(std::string_view callee);

// The container a constructor call makes (`list()`, `collections.deque()`), or Unknown.
Container container_of_factory(std::string_view callee);

// A base class that makes a class a value container (`dict`, `MutableMapping`,
// `UserList`, `collections.abc.Set`): its instances are data, not a hub.
bool is_container_base(std::string_view base);

bool is_heapq(Op op);
// Takes an element out: pop, popleft, popitem, heappop, heapreplace, heappushpop.
bool removes_element(Op op);
// Reads one element by position: x[i], x[-1], next(iter(x)).
bool reads_element(Op op);
// Adds an item at the end or the front: append, appendleft, insert.
bool appends_item(Op op);
// Inserts, replaces or removes by key or value (an act that a membership test guards).
bool changes_membership(Op op);
// Empties the whole container: a bare `.clear()`.
bool empties(Op op);

// How the operation is written in messages and `raceaudit facts` ("append", "heapq.heappop", "len").
std::string_view op_name(Op op);
std::string_view check_name(CheckKind check);

}  // namespace raceaudit
