#pragma once
// Reads Python tracebacks out of captured stderr text: the ordinary
// "Traceback (most recent call last):" blocks (main thread, or "Exception in
// thread NAME:" from threading's excepthook) and faulthandler's dumps after a
// fatal signal ("Fatal Python error: Segmentation fault" + "Current thread
// ... (most recent call first)", or PyPy's "Stack (most recent call first").

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace raceaudit::stress {

struct Frame {
    std::string file;
    int line = 0;
    std::string function;  // empty for a SyntaxError's location line
};

struct ParsedTraceback {
    std::vector<Frame> frames;   // outermost first, as printed
    std::string exception_type;  // "IndexError", "pkg.mod.Error" ("__main__." removed)
    std::string message;         // first line of the message, may be empty
    bool in_thread = false;      // preceded by "Exception in thread NAME:"
    std::string thread_name;
    std::string text;            // the whole block, header to exception line
};

struct FaultDump {
    std::string fatal_error;     // "Segmentation fault" from "Fatal Python error: ..."
    std::vector<Frame> frames;   // crashing thread, outermost first (reversed from the dump)
};

// Every traceback block in `text`, in order of appearance.
std::vector<ParsedTraceback> parse_tracebacks(std::string_view text);

// The first "Fatal Python error:" message and the crashing thread's stack
// when `text` holds a faulthandler dump after a fatal signal; for a dump
// without a fatal error (faulthandler.register on SIGTERM, at a timeout),
// fatal_error is empty and the frames are the current thread's. The frames
// may be empty; std::nullopt when there is neither.
std::optional<FaultDump> parse_fault_dump(std::string_view text);

// The innermost frame of the code under test: the last frame that is not a
// harness frame (see below). When every frame is one, the last frame.
std::optional<Frame> innermost_frame(const std::vector<Frame>& frames_outermost_first);

// The innermost frame that is neither a harness frame nor in one of
// `library_dirs` (the interpreter's standard library, but not its
// site-packages/dist-packages) nor frozen ("<frozen importlib._bootstrap>"):
// where the code under test called into the library that raised.
std::optional<Frame> innermost_frame_outside(const std::vector<Frame>& frames_outermost_first,
                                             const std::vector<std::string>& library_dirs);

// True for frames of raceaudit's bootstrap ("<string>") and driver, of runpy
// and PyPy's app_main (which start the script), and of threading's
// _bootstrap/_bootstrap_inner/run (which start a thread's target).
bool is_harness_frame(const Frame& frame);

}  // namespace raceaudit::stress
