#pragma once
// Python interpreters: finding them on the machine, asking each what it is
// (version, implementation, whether the GIL is enabled) and resolving the
// names given with --python.

#include <optional>
#include <string>
#include <vector>

namespace raceaudit::stress {

class SignalGuard;

struct Interpreter {
    std::string name;            // as given or as found: "python3", "/usr/bin/pypy3"
    std::string path;            // the file that was probed
    std::string executable;      // sys.executable, used to start runs (resolves pyenv shims once)
    std::string implementation;  // sys.implementation.name: "cpython", "pypy", ...
    int major = 0;
    int minor = 0;
    int micro = 0;
    std::string implementation_version;  // PyPy's own version ("7.3.11"), else empty
    bool gil_enabled = true;             // sys._is_gil_enabled() where it exists
    bool free_threaded_build = false;    // sysconfig Py_GIL_DISABLED
    std::vector<std::string> stdlib_dirs;  // where its standard library lives

    std::string version() const;         // "3.11.7"
    std::string implementation_title() const;  // "CPython", "PyPy 7.3.11"
    // "CPython 3.11.7, GIL", "PyPy 7.3.11 (Python 3.9.16), GIL",
    // "CPython 3.13.1 free-threaded, GIL disabled"
    std::string description() const;
};

struct ProbeResult {
    bool ok = false;
    Interpreter interpreter;
    std::string error;  // why the probe failed
};

// The snippet passed with -c to an interpreter; prints one JSON line.
const char* probe_snippet();

// Parses the probe's stdout into `out`; false if it is not the expected JSON.
bool parse_probe_output(const std::string& stdout_text, Interpreter* out);

// Runs the probe for each path (in parallel); results in the same order.
std::vector<ProbeResult> probe_interpreters(const std::vector<std::string>& names,
                                            const std::vector<std::string>& paths, const SignalGuard& signals,
                                            double timeout_s = 20.0);

struct Candidate {
    std::string name;  // what to pass to --python: a bare name for PATH hits, else the path
    std::string path;
};

// Executables named python3, python3.N, python3.Nt, pypy3 or pypy3.N in the
// directories of PATH (the first hit of a name is listed by name, like a
// shell finds it, later ones by path), then
// $PYENV_ROOT (default ~/.pyenv) /versions/*/bin/python3 and python3.Nt, then
// python3 and python3.Nt in free_threaded_bin_dir() (the build of
// scripts/setup-free-threaded.sh), by path. A path is listed once.
std::vector<Candidate> find_candidates();

// Where a --python value points: an explicit path (contains '/'), or every
// PATH hit for the bare name followed by the pyenv versions' bin/<name> and
// free_threaded_bin_dir()/<name>.
std::vector<std::string> locate(const std::string& name);

struct ResolveResult {
    std::optional<Interpreter> interpreter;
    std::string error;  // one line, for "raceaudit: error: ..."
};

// Resolves one --python value to a working interpreter: the first located
// file whose probe succeeds. Requires Python 3.6 or newer.
ResolveResult resolve_interpreter(const std::string& name, const SignalGuard& signals);

}  // namespace raceaudit::stress
