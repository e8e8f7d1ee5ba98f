#include "util/paths.h"
#include "stress/list_pythons.h"

#include <algorithm>
#include <filesystem>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "stress/interpreter.h"
#include "stress/signal_guard.h"

namespace raceaudit::stress {
namespace {

struct Entry {
    std::vector<std::string> names;  // every name that leads to this interpreter
    Interpreter interpreter;
};

std::string canonical(const std::string& path) {
    std::error_code ec;
    auto p = std::filesystem::canonical(path, ec);
    return ec ? path : p.string();
}

std::string join(const std::vector<std::string>& items, const char* sep) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) out += sep;
        out += item;
    }
    return out;
}

}  // namespace

int list_pythons(ReportFormat format, const SignalGuard& signals, std::ostream& out) {
    const auto candidates = find_candidates();
    std::vector<std::string> names;
    std::vector<std::string> paths;
    for (const auto& c : candidates) {
        names.push_back(c.name);
        paths.push_back(c.path);
    }
    const auto probes = probe_interpreters(names, paths, signals);
    if (signals.interrupt_signal() != 0) return 130;

    // Several names often lead to one interpreter (python3 and python3.11,
    // a pyenv shim and the binary behind it): list it once.
    std::vector<Entry> entries;
    std::map<std::string, std::size_t> by_executable;
    std::vector<const ProbeResult*> failed;
    for (const auto& probe : probes) {
        if (!probe.ok) {
            failed.push_back(&probe);
            continue;
        }
        const std::string key = canonical(probe.interpreter.executable);
        auto it = by_executable.find(key);
        if (it == by_executable.end()) {
            by_executable.emplace(key, entries.size());
            entries.push_back({{probe.interpreter.name}, probe.interpreter});
            entries.back().interpreter.executable = key;
        } else {
            entries[it->second].names.push_back(probe.interpreter.name);
        }
    }

    if (format == ReportFormat::json) {
        nlohmann::json doc = nlohmann::json::array();
        for (const auto& e : entries) {
            const Interpreter& i = e.interpreter;
            doc.push_back({{"names", e.names},
                           {"executable", i.executable},
                           {"implementation", i.implementation},
                           {"implementation_version", i.implementation_version},
                           {"version", i.version()},
                           {"gil_enabled", i.gil_enabled},
                           {"free_threaded_build", i.free_threaded_build},
                           {"usable", i.major > 3 || (i.major == 3 && i.minor >= 6)}});
        }
        nlohmann::json unusable = nlohmann::json::array();
        for (const auto* p : failed) unusable.push_back({{"name", p->interpreter.name}, {"path", p->interpreter.path}, {"error", p->error}});
        out << nlohmann::json{{"interpreters", doc}, {"not_working", unusable}}.dump(2, ' ', false,
                                                                                  nlohmann::json::error_handler_t::replace)
            << '\n';
        return 0;
    }

    const bool md = format == ReportFormat::markdown;
    std::vector<std::vector<std::string>> rows;
    rows.push_back({"--python", "implementation", "version", "GIL", "executable"});
    for (const auto& e : entries) {
        const Interpreter& i = e.interpreter;
        std::string gil = i.gil_enabled ? "enabled" : "disabled";
        if (i.free_threaded_build) gil += " (free-threaded build)";
        rows.push_back({escape_control(join(e.names, ", ")), escape_control(i.implementation_title()),
                        escape_control(i.version()), gil, escape_control(i.executable)});
    }
    if (md) {
        for (std::size_t r = 0; r < rows.size(); ++r) {
            out << "| " << join(rows[r], " | ") << " |\n";
            if (r == 0) out << "|---|---|---|---|---|\n";
        }
    } else {
        std::vector<std::size_t> width(rows.front().size(), 0);
        for (const auto& row : rows) {
            for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
        }
        for (const auto& row : rows) {
            std::string line;
            for (std::size_t i = 0; i < row.size(); ++i) {
                if (i > 0) line += "  ";
                line += i + 1 < row.size() ? fmt::format("{:<{}}", row[i], width[i]) : row[i];
            }
            out << line << '\n';
        }
    }
    if (!failed.empty()) {
        out << (md ? "\nFound but not working:\n\n" : "\nfound but not working:\n");
        for (const auto* p : failed) {
            out << (md ? "- " : "  ") << escape_control(p->interpreter.path) << ": " << escape_control(p->error) << '\n';
        }
    }
    return 0;
}

}  // namespace raceaudit::stress
