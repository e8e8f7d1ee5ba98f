#include "confirm/emit_test.h"

#include <filesystem>
#include <fstream>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "confirm/targets.h"

namespace fs = std::filesystem;

namespace raceaudit::confirm {
namespace {

// "examples/inventory_fs/mounts.py" -> "inventory_fs/mounts.py": survives a
// copy of the package to another directory.
std::string file_suffix(const std::string& filename) {
    const fs::path p = fs::path(filename).lexically_normal();
    const fs::path parent = p.parent_path().filename();
    return parent.empty() ? p.filename().string() : (parent / p.filename()).string();
}

// The most qualified name seen for the site's code object (co_qualname on
// 3.11+, co_name before), or the scan's scope.
std::string best_qualname(const std::vector<std::string>& seen, const std::string& scope) {
    std::string best = scope;
    for (const auto& name : seen) {
        if (std::count(name.begin(), name.end(), '.') >= std::count(best.begin(), best.end(), '.')) best = name;
    }
    return best;
}

// The statement without its trailing comment (quote aware, one line).
std::string without_comment(const std::string& line) {
    char quote = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quote) {
            if (c == quote && (i == 0 || line[i - 1] != '\\')) quote = 0;
        } else if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == '#') {
            return line.substr(0, line.find_last_not_of(" \t", i == 0 ? 0 : i - 1) + 1);
        }
    }
    return line;
}

nlohmann::json meaning_site(const SiteRef& s, const std::vector<std::string>& seen, const std::string& receiver) {
    nlohmann::json j = {{"file", file_suffix(s.filename)},
                        {"qualname", best_qualname(seen, s.qualname)},
                        {"source", without_comment(source_line(s.filename, s.row))}};
    if (!receiver.empty()) j["receiver"] = receiver;
    return j;
}

// JSON is a Python literal except for true/false/null, which the specs do
// not hold; indented to sit in a function body.
std::string python_literal(const nlohmann::json& j) {
    std::string text = j.dump(4);
    std::string out;
    for (char c : text) {
        out += c;
        if (c == '\n') out += "    ";
    }
    return out;
}


std::string test_name(const FindingResult& r, std::size_t index) {
    const Target& t = *r.target;
    std::string tail = t.fingerprint ? *t.fingerprint : std::to_string(index);
    std::string code = t.code.empty() ? "site" : t.code;
    for (char& c : code) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return fmt::format("test_race_{}_{}", code, tail);
}

std::string header(const ConfirmConfig& c) {
    std::string paths = "[";
    for (const auto& p : c.paths) {
        std::string dir = p;
        while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
        paths += nlohmann::json(dir).dump() + ", ";
    }
    paths += "]";
    return fmt::format(
        "\"\"\"Regression tests for races confirmed by `raceaudit confirm` (written by --emit-test).\n\n"
        "Each test runs the workload with raceaudit.probe holding one thread at a site of the race\n"
        "and fails when another thread reaches the partner site on the same object meanwhile\n"
        "(both stacks in the message). Sites are found by function qualname and statement text,\n"
        "so unrelated edits do not break the test. Once a lock guards the pair, the partner waits\n"
        "for the held thread to leave and the test passes. RACEAUDIT_CONFIRM_PATH (os.pathsep\n"
        "separated) replaces the import directories below.\n\"\"\"\n"
        "import os\nimport sys\n\nfrom raceaudit import probe\n\n"
        "PATHS = os.environ[\"RACEAUDIT_CONFIRM_PATH\"].split(os.pathsep) "
        "if os.environ.get(\"RACEAUDIT_CONFIRM_PATH\") else {}\n"
        "for _path in reversed(PATHS):\n    if _path not in sys.path:\n        sys.path.insert(0, _path)\n\n"
        "THREADS = {}\n",
        paths, c.threads);
}

std::string test_body(const ConfirmConfig& c, const FindingResult& r, std::size_t index) {
    const Target& t = *r.target;
    const nlohmann::json pairs = nlohmann::json::array(
        {{{"name", t.fingerprint ? fmt::format("{} {}", t.code, *t.fingerprint) : std::string("site")},
          {"site", meaning_site(t.site, r.site_code, t.receiver)},
          {"partner", meaning_site(t.partner, r.partner_code.empty() ? r.site_code : r.partner_code, t.receiver)},
          {"hold", t.partner_is_check ? "site" : "both"}}});
    std::string call;
    if (c.mode == WorkloadMode::call) {
        const auto optional = [](const std::string& v) { return v.empty() ? "None" : nlohmann::json(v).dump(); };
        call = fmt::format("probe.force_call(PAIRS, {}, setup={}, check={}, threads=THREADS)",
                           nlohmann::json(c.call).dump(), optional(c.setup), optional(c.check));
    } else {
        call = fmt::format("probe.force_script(PAIRS, {})",
                           nlohmann::json(fs::absolute(c.script).lexically_normal().string()).dump());
    }
    std::string doc = t.message.empty() ? "race between the two sites" : t.message;
    return fmt::format("\n\ndef {}():\n    \"\"\"{}\"\"\"\n    PAIRS = {}\n    {}\n", test_name(r, index),
                       nlohmann::json(doc).dump().substr(1, nlohmann::json(doc).dump().size() - 2),
                       python_literal(pairs), call);
}

}  // namespace

std::string emitted_test(const ConfirmConfig& config, const std::vector<FindingResult>& results) {
    std::string text;
    std::set<const Target*> done;
    for (std::size_t i = 0; i < results.size(); ++i) {
        const auto& r = results[i];
        if (r.status() != Status::confirmed || done.count(r.target)) continue;
        done.insert(r.target);
        text += test_body(config, r, i);
    }
    return text.empty() ? text : header(config) + text;
}

std::string emit_test(const ConfirmConfig& config, const std::vector<FindingResult>& results, std::string* note) {
    if (config.mode == WorkloadMode::pytest) return "--emit-test works with --call or a script workload, not --pytest";
    const std::string text = emitted_test(config, results);
    if (text.empty()) {
        *note = "nothing confirmed: no test written to " + config.emit_test;
        return {};
    }
    std::ofstream out(config.emit_test);
    out << text;
    out.close();
    if (!out) return "cannot write " + config.emit_test;
    *note = "wrote " + config.emit_test;
    return {};
}

}  // namespace raceaudit::confirm
