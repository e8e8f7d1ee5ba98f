#include "confirm/options.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <thread>

namespace fs = std::filesystem;

namespace raceaudit::confirm {
namespace {

std::optional<long> parse_int(const std::string& text) {
    long value = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || ptr != text.data() + text.size() || text.empty()) return std::nullopt;
    return value;
}

std::optional<double> parse_double(const std::string& text) {
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(value)) return std::nullopt;
    return value;
}

bool ends_with(const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// A positional ending in .json is the scan; the first other one is the
// script, the rest its arguments.
std::string split_positionals(const RawOptions& raw, ConfirmConfig* c) {
    c->scan = raw.scan;
    c->script = raw.script;
    for (const auto& arg : raw.positionals) {
        if (c->scan.empty() && c->script.empty() && ends_with(arg, ".json")) {
            c->scan = arg;
        } else if (c->script.empty()) {
            c->script = arg;
        } else {
            c->script_args.push_back(arg);
        }
    }
    return {};
}

std::string check_inputs(const ConfirmConfig& c) {
    if (c.scan.empty() && c.site.empty()) return "no findings to confirm: give a scan's JSON (--scan FILE) or --site FILE:LINE";
    if (!c.scan.empty() && !c.site.empty()) return "--scan and --site exclude each other";
    if (!c.findings.empty() && c.scan.empty()) return "--finding needs a scan's JSON (--scan FILE)";
    if (!c.site.empty() && c.partner.empty()) return "--site needs --partner FILE:LINE (the same line for a read-modify-write)";
    if (c.site.empty() && !c.partner.empty()) return "--partner needs --site FILE:LINE";
    if (!c.scan.empty() && !fs::is_regular_file(c.scan)) return "cannot read the scan file " + c.scan + ": no such file";
    return {};
}

std::string pick_workload(ConfirmConfig* c) {
    const int given = !c->script.empty() + !c->call.empty() + !c->pytest_file.empty();
    if (given == 0) return "no workload: give a script, --call MODULE:FUNCTION or --pytest FILE";
    if (given > 1) return "give one workload: a script, --call or --pytest";
    if (!c->script.empty()) {
        c->mode = WorkloadMode::script;
        if (!fs::is_regular_file(c->script)) return "cannot read the script " + c->script + ": no such file";
    } else if (!c->call.empty()) {
        c->mode = WorkloadMode::call;
        if (c->call.find(':') == std::string::npos) return "--call " + c->call + ": expected MODULE:FUNCTION";
    } else {
        c->mode = WorkloadMode::pytest;
        if (!fs::is_regular_file(c->pytest_file)) return "cannot read the test file " + c->pytest_file + ": no such file";
    }
    if (c->mode != WorkloadMode::call && (!c->setup.empty() || !c->check.empty())) return "--setup and --check go with --call";
    return {};
}

std::string parse_numbers(const RawOptions& raw, ConfirmConfig* c) {
    const auto threads = parse_int(raw.threads);
    if (!threads || *threads < 1 || *threads > 1024) return "--threads " + raw.threads + ": expected 1..1024";
    const auto trials = parse_int(raw.trials);
    if (!trials || *trials < 1 || *trials > 100000) return "--trials " + raw.trials + ": expected 1..100000";
    const auto delay = parse_double(raw.delay);
    if (!delay || *delay <= 0 || *delay > 1) return "--delay " + raw.delay + ": expected seconds in (0, 1]";
    const auto timeout = parse_double(raw.timeout);
    if (!timeout || *timeout <= 0) return "--timeout " + raw.timeout + ": expected a positive number of seconds";
    c->threads = static_cast<int>(*threads);
    c->trials = static_cast<int>(*trials);
    c->delay = *delay;
    c->timeout = *timeout;
    c->jobs = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    if (!raw.jobs.empty()) {
        const auto jobs = parse_int(raw.jobs);
        if (!jobs || *jobs < 1 || *jobs > 256) return "--jobs " + raw.jobs + ": expected 1..256";
        c->jobs = static_cast<int>(*jobs);
    }
    return {};
}

std::string copy_plain(const RawOptions& raw, ConfirmConfig* c) {
    c->findings = raw.findings;
    c->site = raw.site;
    c->partner = raw.partner;
    c->call = raw.call;
    c->setup = raw.setup;
    c->check = raw.check;
    c->pytest_file = raw.pytest;
    c->pytest_k = raw.pytest_k;
    c->pythons = raw.pythons.empty() ? std::vector<std::string>{"python3"} : raw.pythons;
    c->output = raw.output;
    c->emit_test = raw.emit_test;
    c->armed = !raw.unarmed;
    if (raw.format == "text") {
        c->format = Format::text;
    } else if (raw.format == "json") {
        c->format = Format::json;
    } else {
        return "--format " + raw.format + ": expected text or json";
    }
    for (const auto& p : raw.paths) {
        if (!fs::is_directory(p)) return "--path " + p + ": no such directory";
        c->paths.push_back(fs::absolute(p).lexically_normal().string());
    }
    if (!raw.pytest_k.empty() && raw.pytest.empty()) return "-k goes with --pytest";
    return {};
}

}  // namespace

Validated validate(const RawOptions& raw) {
    ConfirmConfig c;
    for (auto step : {copy_plain, parse_numbers}) {
        if (std::string e = step(raw, &c); !e.empty()) return {std::nullopt, e};
    }
    split_positionals(raw, &c);
    if (std::string e = check_inputs(c); !e.empty()) return {std::nullopt, e};
    if (std::string e = pick_workload(&c); !e.empty()) return {std::nullopt, e};
    return {c, {}};
}

}  // namespace raceaudit::confirm
