#include "models/callbacks.h"

#include <array>
#include <cctype>
#include <string>

#include "models/table_lookup.h"

namespace raceaudit {

using models::in;
using models::last_part;

namespace {

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

std::string lower(std::string_view s) {
  std::string out;
  for (char c : s) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

bool registers_callback(std::string_view callee) {
  if (callee == "atexit.register") return false;
  if (callee == "signal.signal" || callee == "weakref.finalize") return true;
  const std::string_view f = last_part(callee);
  // The event loop's own: the callback runs on the loop's one thread.
  if (schedules_on_event_loop(callee)) return false;
  if (starts_with(f, "register") || starts_with(f, "add_") || starts_with(f, "on_")) return true;
  static constexpr std::array<std::string_view, 5> exact = {"subscribe", "connect", "on", "addListener",
                                                            "addCallback"};
  return in(f, exact);
}

bool schedules_on_event_loop(std::string_view callee) {
  static constexpr std::array<std::string_view, 13> names = {
      "call_soon",   "call_soon_threadsafe", "call_later",     "call_at",      "add_reader",
      "add_writer",  "add_signal_handler",   "add_callback",   "add_timeout",  "spawn_callback",
      "callLater",   "callFromThread",       "callWhenRunning"};
  return in(last_part(callee), names);
}

bool needs_running_loop(std::string_view callee) {
  return callee == "asyncio.get_running_loop" || callee == "get_running_loop" ||
         callee == "asyncio.events.get_running_loop";
}

bool is_callback_container_name(std::string_view receiver) {
  if (const size_t br = receiver.find('['); br != std::string_view::npos) receiver = receiver.substr(0, br);
  const std::string name = lower(last_part(receiver));
  static constexpr std::array<std::string_view, 7> words = {"hook", "callback", "listener", "handler",
                                                            "observer", "subscriber", "watcher"};
  for (std::string_view w : words)
    if (name.find(w) != std::string::npos) return true;
  return false;
}

bool adds_an_element(std::string_view method) {
  static constexpr std::array<std::string_view, 4> names = {"append", "appendleft", "add", "insert"};
  return in(method, names);
}

}  // namespace raceaudit
