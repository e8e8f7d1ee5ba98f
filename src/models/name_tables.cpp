#include "models/name_tables.h"

#include <array>
#include <string>

#include "models/table_lookup.h"

namespace raceaudit {

using models::in;
using models::last_part;

bool is_snapshot_builtin(std::string_view c) {
  static constexpr std::array<std::string_view, 6> names = {"list", "sorted", "dict", "set", "frozenset", "copy.copy"};
  return in(c, names);
}

bool is_container_factory(std::string_view c) {
  static constexpr std::array<std::string_view, 7> names = {"list", "dict", "set", "deque", "OrderedDict",
                                                            "defaultdict", "Counter"};
  return in(last_part(c), names);
}

bool is_path_check(std::string_view c) {
  static constexpr std::array<std::string_view, 4> names = {"exists", "isfile", "isdir", "lexists"};
  if (!in(last_part(c), names)) return false;
  return c.size() == last_part(c).size() || c.substr(0, c.size() - last_part(c).size()) == "os.path." ||
         c.substr(0, c.size() - last_part(c).size()) == "path.";
}

bool is_path_act_name(std::string_view c) {
  static constexpr std::array<std::string_view, 9> names = {
      "os.mkdir", "os.makedirs", "os.remove", "os.unlink", "os.rmdir", "shutil.rmtree", "os.rename",
      "os.replace", "os.symlink"};
  return in(c, names);
}

bool starts_one_thread(std::string_view c) {
  const std::string_view f = last_part(c);
  return f == "Thread" || f == "Timer" || f == "start_new_thread" || f == "spawn";
}

bool is_lifecycle_method_name(std::string_view n) {
  // Not `open` or `connect`: `book.open()` opening an account, `disconnect()`
  // called from any thread to end a session, are the object's daily work.
  static constexpr std::array<std::string_view, 9> words = {"start", "stop", "shutdown", "close", "terminate",
                                                           "restart", "prepare", "setup", "teardown"};
  if (n.empty() || n.front() == '_' || n.substr(0, 3) == "on_") return false;
  const size_t first = n.find('_'), last = n.rfind('_');
  return in(n, words) || (first != std::string_view::npos && (in(n.substr(0, first), words) ||
                                                             in(n.substr(last + 1), words)));
}

ThreadEntry thread_entry_kind(std::string_view c) {
  const std::string_view f = last_part(c);
  if (f == "Thread" || f == "Process") return ThreadEntry::TargetKeyword;
  if (f == "start_new_thread" || f == "spawn" || f == "submit" || f == "run_in_executor" ||
      f == "to_thread")
    return f == "run_in_executor" ? ThreadEntry::SecondArgument : ThreadEntry::FirstArgument;
  if (f == "Timer") return ThreadEntry::SecondArgument;
  return ThreadEntry::None;
}

}  // namespace raceaudit
