#include "confirm/trials.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "confirm/embedded.h"
#include "stress/embedded_scripts.h"
#include "stress/process_pool.h"
#include "stress/signal_guard.h"
#include "stress/temp_dir.h"

namespace raceaudit::confirm {
namespace {

nlohmann::json workload_spec(const ConfirmConfig& c) {
    switch (c.mode) {
        case WorkloadMode::call:
            return {{"mode", "call"}, {"call", c.call}, {"setup", c.setup}, {"check", c.check}, {"threads", c.threads}};
        case WorkloadMode::script:
            return {{"mode", "script"}, {"script", c.script}, {"args", c.script_args}};
        case WorkloadMode::pytest:
            return {{"mode", "pytest"}, {"file", c.pytest_file}, {"k", c.pytest_k}, {"threads", c.threads}};
    }
    return {};
}

std::string write_spec(const ConfirmConfig& c, const Target& t, const stress::TempDir& tmp, std::size_t index) {
    nlohmann::json spec = workload_spec(c);
    spec["pairs"] = nlohmann::json::array({pair_spec(t)});
    spec["delay"] = c.delay;
    spec["armed"] = c.armed;
    std::ofstream(tmp.file(fmt::format("spec-{}.json", index))) << spec.dump();
    return tmp.file(fmt::format("spec-{}.json", index));
}

std::vector<std::string> environment(const ConfirmConfig& c) {
    auto env = stress::current_environment();
    std::string value;
    for (const auto& p : c.paths) value += (value.empty() ? "" : ":") + p;
    if (auto old = stress::find_env(env, "PYTHONPATH"); old && !old->empty()) {
        value += (value.empty() ? "" : ":") + *old;
    }
    if (!value.empty()) stress::set_env(env, "PYTHONPATH", value);
    stress::set_env(env, "PYTHONUNBUFFERED", "1");
    stress::set_env(env, "RACEAUDIT_THREADS", std::to_string(c.threads));
    return env;
}

void add_names(std::vector<std::string>* into, const nlohmann::json& names) {
    for (const auto& n : names) {
        const auto s = n.get<std::string>();
        if (std::find(into->begin(), into->end(), s) == into->end()) into->push_back(s);
    }
}

// Adds one trial's result file to `r`; returns a load error, if any.
std::string add_trial(FindingResult* r, const nlohmann::json& j) {
    if (j.contains("load_error") && j["load_error"].is_string()) return j["load_error"].get<std::string>();
    r->mechanism = j.value("mechanism", "");
    if (j.contains("note") && j["note"].is_string()) r->note = j["note"];
    const auto& pair = j.at("pairs").at(0);
    const int threads = pair.value("reached_threads", 0);
    r->reached_threads = std::max(r->reached_threads, threads);
    r->reached_trials += threads > 0;
    r->several_threads_trials += threads > 1;
    r->holds += pair.value("holds", 0);
    if (pair.value("overlaps", 0) > 0) {
        ++r->overlaps;
        if (r->stacks.empty()) r->stacks = pair["stacks"].get<std::vector<std::vector<std::string>>>();
    }
    add_names(&r->site_code, pair.value("site_code", nlohmann::json::array()));
    add_names(&r->partner_code, pair.value("partner_code", nlohmann::json::array()));
    if (j.contains("failure") && j["failure"].is_string()) {
        ++r->manifested;
        if (r->failure.empty()) r->failure = j["failure"];
    }
    return {};
}

std::string last_line(const std::string& text) {
    auto end = text.find_last_not_of("\n ");
    if (end == std::string::npos) return {};
    auto start = text.rfind('\n', end);
    return text.substr(start == std::string::npos ? 0 : start + 1, end - (start == std::string::npos ? 0 : start + 1) + 1);
}

// A trial that left no result: a crash or a hang is a failure manifested.
std::string add_broken_trial(FindingResult* r, const stress::ProcessResult& p) {
    if (!p.started) return "cannot start the interpreter: " + p.spawn_error;
    std::string what = p.timed_out ? "hang (timeout)"
                       : p.signaled ? fmt::format("crash (signal {})", p.term_signal)
                                    : fmt::format("the confirm driver failed (exit status {}): {}", p.exit_code,
                                                  last_line(p.err.text()));
    if (p.exited) return what;  // the driver itself broke: a tool error
    ++r->manifested;
    if (r->failure.empty()) r->failure = what;
    return {};
}

}  // namespace

const char* status_name(Status status) {
    switch (status) {
        case Status::confirmed: return "confirmed";
        case Status::reached: return "reached";
        case Status::not_reached: return "not-reached";
    }
    return "?";
}

Status FindingResult::status() const {
    if (overlaps > 0) return Status::confirmed;
    return reached_trials > 0 ? Status::reached : Status::not_reached;
}

TrialsOutcome run_trials(const ConfirmConfig& config, const std::vector<Target>& targets,
                         const std::vector<stress::Interpreter>& interpreters, const stress::TempDir& tmp,
                         const stress::SignalGuard& signals) {
    TrialsOutcome out;
    const std::string driver = tmp.write_file("raceaudit_confirm_driver.py", confirm_driver_source());
    tmp.write_file("raceaudit_probe.py", probe_source());
    tmp.write_file(stress::kDriverFileName, stress::driver_source());
    std::vector<std::string> specs;
    for (std::size_t i = 0; i < targets.size(); ++i) specs.push_back(write_spec(config, targets[i], tmp, i));
    for (const auto& t : targets) {
        for (const auto& interp : interpreters) {
            FindingResult r;
            r.target = &t;
            r.interpreter = interp.name;
            r.interpreter_title = interp.description();
            out.results.push_back(r);
        }
    }
    const std::size_t cells = out.results.size();
    const auto env = environment(config);
    const auto result_file = [&](std::size_t i) { return tmp.file(fmt::format("result-{}.json", i)); };
    const auto spec_at = [&](std::size_t i) {
        const std::size_t cell = i % cells;
        stress::ProcessSpec spec;
        spec.request.argv = {interpreters[cell % interpreters.size()].executable, driver,
                             specs[cell / interpreters.size()], result_file(i)};
        spec.request.env = env;
        spec.timeout_s = config.timeout;
        return spec;
    };
    const auto on_finish = [&](std::size_t i, stress::ProcessResult&& p) {
        if (p.interrupted) return;
        FindingResult* r = &out.results[i % cells];
        std::ifstream in(result_file(i));
        std::string error;
        r->seconds += p.duration_s;
        try {
            error = in ? add_trial(r, nlohmann::json::parse(in)) : add_broken_trial(r, p);
        } catch (const nlohmann::json::exception&) {
            error = add_broken_trial(r, p);
        }
        if (!error.empty() && out.error.empty()) {
            out.error = fmt::format("cannot run the workload with {}: {}", r->interpreter, error);
        }
        if (error.empty()) ++r->trials;
    };
    const auto summary = stress::run_processes(cells * static_cast<std::size_t>(config.trials), spec_at,
                                               config.jobs, signals, on_finish, /*stop_after_start_failure=*/true);
    out.interrupt_signal = summary.interrupt_signal;
    return out;
}

}  // namespace raceaudit::confirm
