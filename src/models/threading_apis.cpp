#include "models/threading_apis.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <vector>

#include "facts/facts.h"
#include "models/table_lookup.h"

namespace raceaudit {

using models::in;
using models::last_part;

bool is_lock_factory(std::string_view c) {
  static constexpr std::array<std::string_view, 18> names = {
      "threading.Lock", "threading.RLock", "threading.Condition", "threading.Semaphore",
      "threading.BoundedSemaphore", "Lock", "RLock", "Condition", "Semaphore", "BoundedSemaphore",
      "multiprocessing.Lock", "multiprocessing.RLock", "_thread.allocate_lock", "thread.allocate_lock",
      "allocate_lock", "threading._allocate_lock", "_allocate_lock", "threading._RLock"};
  return in(c, names);
}

bool is_sync_object_factory(std::string_view c) {
  static constexpr std::array<std::string_view, 7> names = {"Event", "Barrier", "Queue", "LifoQueue",
                                                            "PriorityQueue", "SimpleQueue", "JoinableQueue"};
  return is_lock_factory(c) || in(last_part(c), names);
}

bool is_thread_local_factory(std::string_view c) {
  return c == "threading.local" || c == "local" || c == "_threading_local.local";
}

bool is_thread_base(std::string_view b) { return b == "threading.Thread" || b == "Thread"; }

bool is_thread_local_base(std::string_view b) { return is_thread_local_factory(b); }

namespace {

// `_acquireLock` -> {"acquire", "lock"}; `rlock_object` -> {"rlock", "object"}.
std::vector<std::string> name_words(std::string_view name) {
  std::vector<std::string> words(1);
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (c == '_' || c == '.') {
      if (!words.back().empty()) words.emplace_back();
      continue;
    }
    if (std::isupper(static_cast<unsigned char>(c)) && i > 0 && std::islower(static_cast<unsigned char>(name[i - 1])) &&
        !words.back().empty())
      words.emplace_back();
    words.back() += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (words.back().empty()) words.pop_back();
  return words;
}

}  // namespace

bool lock_like_name(std::string_view name) {
  const std::vector<std::string> words = name_words(name);
  static constexpr std::array<std::string_view, 14> exact = {"lock", "locks", "rlock", "mutex", "mtx", "cond",
                                                             "condition", "cv", "sem", "semaphore", "lck",
                                                             "rwlock", "spinlock", "filelock"};
  for (const auto& w : words)
    if (in(w, exact)) return true;
  return false;
}

bool named_lock_factory(std::string_view callee) {
  if (const size_t dot = callee.rfind('.'); dot != std::string_view::npos) callee = callee.substr(dot + 1);
  const std::vector<std::string> words = name_words(callee);
  if (words.size() < 2 || !lock_like_name(callee)) return false;
  static constexpr std::array<std::string_view, 6> makers = {"make", "new", "create", "alloc", "allocate", "build"};
  static constexpr std::array<std::string_view, 2> products = {"object", "factory"};
  return in(words.front(), makers) || in(words.back(), products);
}

int lock_helper_direction(std::string_view name) {
  if (const size_t dot = name.rfind('.'); dot != std::string_view::npos) name = name.substr(dot + 1);
  std::string lower;
  for (char c : name)
    if (c != '_') lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "acquirelock" || lower == "lock" || lower == "acquiremutex") return 1;
  if (lower == "releaselock" || lower == "unlock" || lower == "releasemutex") return -1;
  // `self.lock_data()` ... `self.unlock_data()` (coverage's tracers): "lock"
  // or "unlock" as the first word of a snake_case name.
  const size_t start = name.find_first_not_of('_');
  if (start == std::string_view::npos) return 0;
  const std::string_view bare = name.substr(start);
  if (bare.substr(0, 5) == "lock_" && bare.size() > 5) return 1;
  if (bare.substr(0, 7) == "unlock_" && bare.size() > 7) return -1;
  return 0;
}

uint8_t race_symptoms_caught_by(std::string_view name) {
  if (name.substr(0, 9) == "builtins.") name.remove_prefix(9);
  if (name == "Exception" || name == "BaseException") return HandledLookup | HandledRuntime;
  static constexpr std::array<std::string_view, 4> lookup = {"KeyError", "IndexError", "LookupError",
                                                             "StopIteration"};
  if (in(name, lookup)) return HandledLookup;
  // queue.Empty from get_nowait() / get(timeout=...) after an empty() check.
  static constexpr std::array<std::string_view, 3> empty = {"queue.Empty", "Queue.Empty", "Empty"};
  if (in(name, empty)) return HandledLookup;
  if (name == "RuntimeError") return HandledRuntime;
  return 0;
}

bool blocking_call(std::string_view callee) {
  static constexpr std::string_view kWaits[] = {
      "sleep", "wait", "wait_for", "join", "select", "poll", "result", "communicate", "input",  // other threads, time
      "recv", "recv_into", "recvfrom", "send", "sendall", "sendto", "accept", "connect", "create_connection",
      "read", "readline", "readlines", "readinto", "urlopen", "getaddrinfo", "getresponse"};  // I/O
  const size_t dot = callee.rfind('.');
  const std::string_view last = dot == std::string_view::npos ? callee : callee.substr(dot + 1);
  return std::find(std::begin(kWaits), std::end(kWaits), last) != std::end(kWaits);
}

}  // namespace raceaudit
