#include "stress/interpreter.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <set>
#include <sstream>
#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "stress/cache_dir.h"
#include "stress/process_pool.h"
#include "stress/signal_guard.h"
#include "stress/signal_names.h"

namespace fs = std::filesystem;

namespace raceaudit::stress {
namespace {

// Valid Python 2.7 and 3.x, so that a too old interpreter is still
// identified (and then refused with a clear message).
constexpr const char* kProbe = R"PY(import sys, json
try:
    import sysconfig
    ft = bool(sysconfig.get_config_var("Py_GIL_DISABLED"))
except Exception:
    ft = False
g = getattr(sys, "_is_gil_enabled", None)
impl = getattr(sys, "implementation", None)
pv = getattr(sys, "pypy_version_info", None)
import os
libs = [os.path.dirname(os.__file__)]
try:
    libs += [sysconfig.get_paths()["stdlib"], sysconfig.get_paths()["platstdlib"]]
except Exception:
    pass
libs = sorted(set(libs + [os.path.realpath(d) for d in libs if d]))
print(json.dumps({
    "version": list(sys.version_info[:3]),
    "implementation": impl.name if impl is not None else "cpython",
    "implementation_version": ".".join(str(x) for x in pv[:3]) if pv else "",
    "gil_enabled": bool(g()) if g is not None else True,
    "free_threaded_build": ft,
    "executable": sys.executable or "",
    "stdlib_dirs": libs,
}))
)PY";

bool is_executable_file(const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec) && ::access(p.c_str(), X_OK) == 0;
}

std::vector<std::string> path_dirs() {
    std::vector<std::string> dirs;
    const char* path = std::getenv("PATH");
    if (path == nullptr) return dirs;
    std::stringstream ss(path);
    std::string dir;
    while (std::getline(ss, dir, ':')) dirs.push_back(dir.empty() ? "." : dir);
    return dirs;
}

fs::path pyenv_root() {
    if (const char* root = std::getenv("PYENV_ROOT"); root != nullptr && *root != '\0') return root;
    if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') return fs::path(home) / ".pyenv";
    return "/root/.pyenv";
}

// pyenv's versions/*/bin directories, newest version first.
std::vector<fs::path> pyenv_bin_dirs() {
    std::vector<fs::path> dirs;
    std::error_code ec;
    const fs::path versions = pyenv_root() / "versions";
    for (fs::directory_iterator it(versions, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->is_directory(ec)) dirs.push_back(it->path() / "bin");
    }
    auto key = [](const fs::path& p) {
        // "3.10.13" > "3.9.18": compare numerically component by component.
        std::vector<int> parts;
        std::stringstream ss(p.parent_path().filename().string());
        std::string part;
        while (std::getline(ss, part, '.')) parts.push_back(std::atoi(part.c_str()));
        return parts;
    };
    std::sort(dirs.begin(), dirs.end(), [&](const fs::path& a, const fs::path& b) { return key(a) > key(b); });
    return dirs;
}

// Directories searched after PATH: pyenv's, then the cache's free-threaded build.
std::vector<fs::path> extra_bin_dirs() {
    std::vector<fs::path> dirs = pyenv_bin_dirs();
    if (fs::path ft = free_threaded_bin_dir(); !ft.empty()) dirs.push_back(std::move(ft));
    return dirs;
}

std::string first_line(const std::string& text) {
    std::string line = text.substr(0, text.find('\n'));
    if (line.size() > 200) line = line.substr(0, 200) + "...";
    return line;
}

}  // namespace

std::string Interpreter::version() const { return fmt::format("{}.{}.{}", major, minor, micro); }

std::string Interpreter::implementation_title() const {
    if (implementation == "cpython") return "CPython";
    if (implementation == "pypy") {
        return implementation_version.empty() ? "PyPy" : "PyPy " + implementation_version;
    }
    return implementation;
}

std::string Interpreter::description() const {
    std::string text = implementation_title();
    text += implementation == "pypy" ? fmt::format(" (Python {})", version()) : " " + version();
    if (free_threaded_build) text += " free-threaded";
    text += gil_enabled ? ", GIL" : ", GIL disabled";
    return text;
}

const char* probe_snippet() { return kProbe; }

bool parse_probe_output(const std::string& stdout_text, Interpreter* out) {
    // The JSON is the last non-empty line (a sitecustomize may print before it).
    std::string line;
    std::stringstream ss(stdout_text);
    for (std::string l; std::getline(ss, l);) {
        if (!l.empty()) line = l;
    }
    const auto json = nlohmann::json::parse(line, nullptr, false);
    if (!json.is_object()) return false;
    try {
        const auto& v = json.at("version");
        if (!v.is_array() || v.size() < 3) return false;
        out->major = v[0].get<int>();
        out->minor = v[1].get<int>();
        out->micro = v[2].get<int>();
        out->implementation = json.at("implementation").get<std::string>();
        out->implementation_version = json.value("implementation_version", std::string());
        out->gil_enabled = json.value("gil_enabled", true);
        out->free_threaded_build = json.value("free_threaded_build", false);
        out->executable = json.value("executable", std::string());
        out->stdlib_dirs = json.value("stdlib_dirs", std::vector<std::string>());
    } catch (const nlohmann::json::exception&) {
        return false;
    }
    return true;
}

std::vector<ProbeResult> probe_interpreters(const std::vector<std::string>& names,
                                            const std::vector<std::string>& paths, const SignalGuard& signals,
                                            double timeout_s) {
    std::vector<ProcessSpec> specs;
    const auto env = current_environment();
    for (const auto& path : paths) {
        ProcessSpec spec;
        // Same environment as the runs, so that an interpreter that cannot
        // start in it fails here, once, with a clear message.
        spec.request.argv = {path, "-c", kProbe};
        spec.request.env = env;
        spec.timeout_s = timeout_s;
        spec.kill_grace_s = 1.0;
        spec.capture_limit = 16 * 1024;
        specs.push_back(std::move(spec));
    }
    std::vector<ProbeResult> results(paths.size());
    const std::size_t jobs = std::max<std::size_t>(1, std::min<std::size_t>(paths.size(), 8));
    run_processes(specs, static_cast<int>(jobs), signals, [&](std::size_t i, ProcessResult&& r) {
        ProbeResult& out = results[i];
        out.interpreter.name = names[i];
        out.interpreter.path = paths[i];
        if (!r.started) {
            out.error = r.spawn_error;
        } else if (r.timed_out) {
            out.error = fmt::format("did not answer within {:g} s", timeout_s);
        } else if (r.signaled) {
            out.error = "killed by " + signal_name(r.term_signal);
        } else if (r.exit_code != 0) {
            const std::string err = first_line(r.err.text());
            out.error = fmt::format("exit status {}{}{}", r.exit_code, err.empty() ? "" : ": ", err);
        } else if (!parse_probe_output(r.out.text(), &out.interpreter)) {
            out.error = "unexpected answer: " + first_line(r.out.text());
        } else {
            out.ok = true;
            if (out.interpreter.executable.empty() || !is_executable_file(out.interpreter.executable)) {
                out.interpreter.executable = paths[i];
            }
        }
    });
    return results;
}

std::vector<Candidate> find_candidates() {
    static const std::regex name_re(R"(^(python3(\.[0-9]+t?)?|pypy3(\.[0-9]+)?)$)");
    static const std::regex pyenv_re(R"(^python3(\.[0-9]+t)?$)");
    std::vector<Candidate> out;
    std::set<std::string> names_seen;
    for (const auto& dir : path_dirs()) {
        std::error_code ec;
        std::vector<std::string> names;
        for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
            const std::string name = it->path().filename().string();
            if (std::regex_match(name, name_re) && is_executable_file(it->path())) names.push_back(name);
        }
        std::sort(names.begin(), names.end());
        for (const auto& name : names) {
            const std::string path = (fs::path(dir) / name).string();
            // A later PATH hit is shadowed by the first one: it is only
            // reachable by its path, so that is its name.
            out.push_back({names_seen.insert(name).second ? name : path, path});
        }
    }
    std::set<std::string> paths_seen;
    for (const auto& c : out) paths_seen.insert(c.path);
    for (const auto& bin : extra_bin_dirs()) {
        std::error_code ec;
        std::vector<std::string> names;
        for (fs::directory_iterator it(bin, ec), end; !ec && it != end; it.increment(ec)) {
            const std::string name = it->path().filename().string();
            if (std::regex_match(name, pyenv_re) && is_executable_file(it->path())) names.push_back(name);
        }
        std::sort(names.begin(), names.end());
        for (const auto& name : names) {
            const std::string path = (bin / name).string();
            if (paths_seen.insert(path).second) out.push_back({path, path});
        }
    }
    return out;
}

std::vector<std::string> locate(const std::string& name) {
    std::vector<std::string> paths;
    if (name.find('/') != std::string::npos) {
        if (is_executable_file(name)) paths.push_back(name);
        return paths;
    }
    for (const auto& dir : path_dirs()) {
        const fs::path p = fs::path(dir) / name;
        if (is_executable_file(p)) paths.push_back(p.string());
    }
    for (const auto& bin : extra_bin_dirs()) {
        const fs::path p = bin / name;
        if (is_executable_file(p)) paths.push_back(p.string());
    }
    return paths;
}

ResolveResult resolve_interpreter(const std::string& name, const SignalGuard& signals) {
    ResolveResult result;
    const auto paths = locate(name);
    if (paths.empty()) {
        result.error = name.find('/') != std::string::npos
                           ? fmt::format("interpreter not found: {} (no such executable file)", name)
                           : fmt::format("interpreter not found: {} (not on PATH, not in pyenv, not in the raceaudit cache)", name);
        return result;
    }
    std::string first_error;
    // Probe one at a time: usually the first hit works.
    for (const auto& path : paths) {
        auto probes = probe_interpreters({name}, {path}, signals);
        if (signals.interrupt_signal() != 0) {
            result.error = "interrupted";
            return result;
        }
        ProbeResult& probe = probes.front();
        if (!probe.ok) {
            if (first_error.empty()) first_error = fmt::format("{}: {}", path, probe.error);
            continue;
        }
        const Interpreter& interp = probe.interpreter;
        if (interp.major < 3 || (interp.major == 3 && interp.minor < 6)) {
            const std::string where = path == name ? name : fmt::format("{} ({})", name, path);
            result.error = fmt::format("{} is Python {}; stress needs Python 3.6 or newer", where, interp.version());
            return result;
        }
        result.interpreter = interp;
        return result;
    }
    result.error = fmt::format("interpreter {} does not run: {}", name, first_error);
    return result;
}

}  // namespace raceaudit::stress
