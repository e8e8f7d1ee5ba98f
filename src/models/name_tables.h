// Names of standard-library functions and methods that lowering gives a meaning:
// container mutators, snapshot copies, heapq, filesystem checks and acts,
// thread entry points.
#pragma once

#include <string_view>
#include <vector>

namespace raceaudit {

// `list(x)`, `sorted(x)`, ...: one call that copies a container.
bool is_snapshot_builtin(std::string_view callee);

// `[]`-like constructors: `list()`, `dict()`, `collections.deque()`, ...
bool is_container_factory(std::string_view callee);

// `os.path.exists(p)` and friends.
bool is_path_check(std::string_view callee);

// `os.mkdir(p)`, `os.makedirs(p)`, `os.remove(p)`, ... (`open(p, "w")` is decided by its mode).
bool is_path_act_name(std::string_view callee);

enum class ThreadEntry { None, TargetKeyword, FirstArgument, SecondArgument };
// How a call hands a function to another thread: Thread(target=f), submit(f), Timer(t, f).
ThreadEntry thread_entry_kind(std::string_view callee);
// `Thread(...)`, `Timer(...)`, `_thread.start_new_thread(...)` run their target on one new thread;
// `executor.submit(f)` and friends run one task per call, on any pool thread.
bool starts_one_thread(std::string_view callee);

// `start`, `stop`, `close`, `shutdown`, `loop_start`, `start_async`, ...: a
// public method that starts or ends an object's service, which its owner
// calls (docs/analysis-model.md, "Lifecycle methods"). Not `on_stop` and
// the like: an `on_` method is a handler, fired by whoever raises the event.
bool is_lifecycle_method_name(std::string_view name);

}  // namespace raceaudit
