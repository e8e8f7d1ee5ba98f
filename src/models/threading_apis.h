// What the threading APIs of the standard library mean to the analysis: which
// calls make a lock or a thread-local, which bases make a class a thread or a
// thread-local, which names say "lock", which helper calls take or release one,
// and which exceptions a handler must catch to cope with a race's symptom.
#pragma once

#include <cstdint>
#include <string_view>

namespace raceaudit {

// `threading.Lock()`, `RLock()`, `Condition()`, `Semaphore()`, `_thread.allocate_lock()`, ...
bool is_lock_factory(std::string_view callee);
// A call named as a lock factory of some framework or of the project:
// a lock noun with a factory word around it, on any receiver
// (`handler.rlock_object()`, `self._make_lock()`, `pool.create_mutex()`).
// `callee` is the call's function text.
bool named_lock_factory(std::string_view callee);
// A lock factory, or `threading.Event()`, `Barrier()`, `queue.Queue()` and its
// kin: an object whose methods (`set`, `clear`, `put`) synchronize by
// themselves and are not edits of a container.
bool is_sync_object_factory(std::string_view callee);
// `threading.local()`.
bool is_thread_local_factory(std::string_view callee);
// `class T(threading.Thread)`: run() is a thread's body.
bool is_thread_base(std::string_view base);
// `class L(threading.local)`.
bool is_thread_local_base(std::string_view base);

// `self._lock`, `cache_lock`, `self.mutex`, `_cond`, `sem`: a name that says
// "lock", judged word by word (snake_case and camelCase), so `blocks`,
// `clock`, `second`, `semantics` are not locks.
bool lock_like_name(std::string_view name);

// +1 for a call of a lock-taking helper (`_acquireLock()`, `self._acquire_lock()`,
// `self.lock_data()`),
// -1 for its release counterpart, 0 otherwise. `callee` is the call's function text.
int lock_helper_direction(std::string_view callee);

// A call that waits for something (a timeout, another thread, a socket or
// file): `time.sleep`, `event.wait`, `thread.join`, `sock.recv`,
// `fp.readline`, `future.result`.
// Holding a lock across it stalls every thread that wants the lock, so a fix
// does not put one there. By the last name of the callee.
bool blocking_call(std::string_view callee);

// Bits of Access::handled that a handler `except <name>:` sets: the race's
// exception is caught. `name` is the dotted text of one exception class.
uint8_t race_symptoms_caught_by(std::string_view exception_name);

}  // namespace raceaudit
