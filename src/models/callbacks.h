// Calls that hand a callable to another object to be called later, on
// whatever thread fires it: `r.register_hook("response", self.on_response)`,
// `loop_thread.add_done_callback(self.done)`, `signal.connect(self.slot)`,
// `self._listeners.append(self.changed)`. A bound method passed there makes
// its object shared with that thread (docs/analysis-model.md).
#pragma once

#include <string_view>

namespace raceaudit {

// `register*`, `add_*`, `subscribe`, `connect`, `on`/`on_*`, `signal.signal`,
// `weakref.finalize`, given the call's function text. Not the event loop's
// own schedulers (`add_reader`, `call_soon`: they run on the loop's thread),
// and not `atexit.register` (runs once, at exit).
bool registers_callback(std::string_view callee);

// An event loop's scheduler: the callable it is given runs later on the loop's
// one thread. asyncio's `call_soon`, `call_soon_threadsafe`, `call_later`,
// `call_at`, `add_reader`, `add_writer`, `add_signal_handler`; tornado's
// `add_callback`, `add_timeout`, `spawn_callback`; twisted's `callLater`,
// `callFromThread`, `callWhenRunning`. By the last name of the callee.
bool schedules_on_event_loop(std::string_view callee);

// `asyncio.get_running_loop()`: raises unless the calling thread runs an
// event loop, so a function that calls it is meant to run on the loop.
bool needs_running_loop(std::string_view callee);

// `self._hooks`, `self.callbacks["x"]`, `_listeners`: a container whose name
// says it holds callbacks, so `append`/`add`/`insert` into it registers one.
bool is_callback_container_name(std::string_view receiver);
// `append`, `appendleft`, `add`, `insert`: puts one element in.
bool adds_an_element(std::string_view method);

}  // namespace raceaudit
