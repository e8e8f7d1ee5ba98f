#include "stress/options.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <thread>

#include <fmt/format.h>

namespace fs = std::filesystem;

namespace raceaudit::stress {
namespace {

std::optional<long> parse_int(const std::string& text) {
    long value = 0;
    const char* begin = text.data();
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(begin, end, value);
    if (ec != std::errc() || ptr != end || text.empty()) return std::nullopt;
    return value;
}

std::optional<double> parse_double(const std::string& text) {
    if (text.empty()) return std::nullopt;
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    if (end != text.c_str() + text.size() || !std::isfinite(value)) return std::nullopt;
    return value;
}

bool valid_callable_spec(const std::string& spec) {
    const auto colon = spec.find(':');
    return colon != std::string::npos && colon > 0 && colon + 1 < spec.size() &&
           spec.find(':', colon + 1) == std::string::npos;
}

// One line when the session would make more than kMaxPlannedRuns runs.
std::string plan_size_error(const StressConfig& c) {
    std::vector<std::string> names;  // the same name twice is one interpreter
    for (const auto& p : c.pythons) {
        if (std::find(names.begin(), names.end(), p) == names.end()) names.push_back(p);
    }
    const std::size_t counts = std::max<std::size_t>(1, c.threads.size());
    const std::size_t runs = static_cast<std::size_t>(c.repeat) * counts * names.size();
    if (runs <= kMaxPlannedRuns) return {};
    return fmt::format("--repeat {} x {} thread count{} x {} interpreter{} is {} runs; at most {} runs per session",
                       c.repeat, counts, counts == 1 ? "" : "s", names.size(), names.size() == 1 ? "" : "s", runs,
                       kMaxPlannedRuns);
}

std::optional<ControlMode> parse_control(const RawOptions& raw) {
    if (raw.no_control) return ControlMode::none;
    for (ControlMode mode : {ControlMode::single, ControlMode::gil, ControlMode::none}) {
        if (raw.control == control_mode_name(mode)) return mode;
    }
    return std::nullopt;
}

}  // namespace

std::string_view control_mode_name(ControlMode mode) {
    switch (mode) {
        case ControlMode::none: return "none";
        case ControlMode::single: return "single";
        case ControlMode::gil: return "gil";
    }
    return "?";
}

std::optional<std::vector<int>> parse_thread_list(const std::string& text, int max_threads) {
    std::vector<int> out;
    std::stringstream ss(text);
    std::string item;
    while (std::getline(ss, item, ',')) {
        const auto value = parse_int(item);
        if (!value || *value < 1 || *value > max_threads) return std::nullopt;
        if (std::find(out.begin(), out.end(), static_cast<int>(*value)) == out.end()) {
            out.push_back(static_cast<int>(*value));
        }
    }
    if (out.empty() || (!text.empty() && text.back() == ',')) return std::nullopt;
    return out;
}

ValidationResult validate(const RawOptions& raw) {
    ValidationResult result;
    auto fail = [&](std::string message) {
        result.error = std::move(message);
        return result;
    };
    StressConfig c;

    auto format = raw.format;
    if (format == "text") {
        c.format = ReportFormat::text;
    } else if (format == "json") {
        c.format = ReportFormat::json;
    } else if (format == "markdown" || format == "md") {
        c.format = ReportFormat::markdown;
    } else {
        return fail(fmt::format("--format: unknown format '{}' (expected text, json or markdown)", format));
    }
    c.output_file = raw.output_file;
    c.show_output = raw.show_output;
    c.faulthandler = !raw.no_faulthandler;
    const auto control = parse_control(raw);
    if (!control) {
        return fail(fmt::format("--control: unknown mode '{}' (expected single, gil or none)", raw.control));
    }
    c.control = *control;

    if (raw.list_pythons) {
        c.mode = StressConfig::Mode::list_pythons;
        result.config = std::move(c);
        return result;
    }

    const bool script_mode = !raw.script.empty();
    const bool workload_mode = !raw.call.empty();
    if (script_mode && workload_mode) {
        return fail("give either a SCRIPT or --call, not both");
    }
    if (!script_mode && !workload_mode) {
        return fail("nothing to run: give a SCRIPT, or --call MODULE:FUNCTION (see raceaudit stress --help)");
    }
    if (!workload_mode && (!raw.setup.empty() || !raw.check.empty())) {
        return fail("--setup and --check need --call");
    }
    if (workload_mode && !raw.script_args.empty()) {
        return fail(fmt::format("unexpected argument '{}' (arguments after -- are for a SCRIPT)",
                                raw.script_args.front()));
    }
    for (const auto* spec : {&raw.call, &raw.setup, &raw.check}) {
        if (!spec->empty() && !valid_callable_spec(*spec)) {
            return fail(fmt::format("'{}': expected MODULE:FUNCTION, e.g. pkg.mod:worker", *spec));
        }
    }

    if (script_mode) {
        std::error_code ec;
        if (!fs::exists(raw.script, ec)) return fail(fmt::format("script not found: {}", raw.script));
        if (!fs::is_regular_file(raw.script, ec)) return fail(fmt::format("not a file: {}", raw.script));
        c.mode = StressConfig::Mode::script;
        c.script = raw.script;
        c.script_args = raw.script_args;
    } else {
        c.mode = StressConfig::Mode::workload;
        c.call = raw.call;
        c.setup = raw.setup;
        c.check = raw.check;
    }

    c.pythons = raw.pythons.empty() ? std::vector<std::string>{"python3"} : raw.pythons;
    for (const auto& p : c.pythons) {
        if (p.empty()) return fail("--python: empty interpreter name");
    }
    for (const auto& p : raw.paths) {
        std::error_code ec;
        if (!fs::is_directory(p, ec)) return fail(fmt::format("--path: not a directory: {}", p));
        c.paths.push_back(fs::absolute(p, ec).lexically_normal().string());
    }

    const auto repeat = parse_int(raw.repeat);
    if (!repeat || *repeat < 1 || *repeat > 1000000) {
        return fail(fmt::format("--repeat: expected a whole number >= 1, got '{}'", raw.repeat));
    }
    c.repeat = static_cast<int>(*repeat);

    if (!raw.threads.empty()) {
        const auto threads = parse_thread_list(raw.threads);
        if (!threads) {
            return fail(fmt::format("--threads: expected thread counts like 8 or 2,8,32 (each 1..4096), got '{}'",
                                    raw.threads));
        }
        c.threads = *threads;
    } else if (workload_mode) {
        c.threads = {kDefaultWorkloadThreads};
    }

    if (auto error = plan_size_error(c); !error.empty()) return fail(std::move(error));

    const auto rounds = parse_int(raw.rounds);
    if (!rounds || *rounds < 1 || *rounds > 1000000) {
        return fail(fmt::format("--rounds: expected a whole number >= 1, got '{}'", raw.rounds));
    }
    if (script_mode && *rounds != 1) return fail("--rounds is for --call workloads");
    c.rounds = static_cast<int>(*rounds);

    const auto interval = parse_double(raw.switch_interval);
    if (!interval || *interval <= 0.0) {
        return fail(fmt::format("--switch-interval: expected seconds > 0, got '{}'", raw.switch_interval));
    }
    c.switch_interval = *interval;

    const auto timeout = parse_double(raw.timeout);
    if (!timeout || *timeout <= 0.0) {
        return fail(fmt::format("--timeout: expected seconds > 0, got '{}'", raw.timeout));
    }
    c.timeout = *timeout;

    const auto grace = parse_double(raw.kill_grace);
    if (!grace || *grace < 0.0) {
        return fail(fmt::format("--kill-grace: expected seconds >= 0, got '{}'", raw.kill_grace));
    }
    c.kill_grace = *grace;

    if (raw.jobs.empty()) {
        c.jobs = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    } else {
        const auto jobs = parse_int(raw.jobs);
        if (!jobs || *jobs < 1 || *jobs > 1024) {
            return fail(fmt::format("--jobs: expected a whole number 1..1024, got '{}'", raw.jobs));
        }
        c.jobs = static_cast<int>(*jobs);
    }

    result.config = std::move(c);
    return result;
}

}  // namespace raceaudit::stress
