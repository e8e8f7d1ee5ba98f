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

// `self._hooks`, `self.callbacks["x"]`, `_listeners`: a container whose name
// says it holds callbacks, so `append`/`add`/`insert` into it registers one.
bool is_callback_container_name(std::string_view receiver);
// `append`, `appendleft`, `add`, `insert`: puts one element in.
bool adds_an_element(std::string_view method);

}  // namespace raceaudit
