#include "confirm/report.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ostream.h>

namespace raceaudit::confirm {
namespace {

nlohmann::json site_json(const SiteRef& s) { return {{"filename", s.filename}, {"row", s.row}}; }

nlohmann::json finding_json(const FindingResult& r) {
    const Target& t = *r.target;
    nlohmann::json j = {
        {"fingerprint", t.fingerprint ? nlohmann::json(*t.fingerprint) : nlohmann::json(nullptr)},
        {"code", t.code.empty() ? nlohmann::json(nullptr) : nlohmann::json(t.code)},
        {"site", site_json(t.site)},
        {"partner", site_json(t.partner)},
        {"status", status_name(r.status())},
        {"interpreter", r.interpreter},
        {"interpreter_description", r.interpreter_title},
        {"mechanism", r.mechanism},
        {"trials", r.trials},
        {"reached_threads", r.reached_threads},
        {"reached_trials", r.reached_trials},
        {"several_threads_trials", r.several_threads_trials},
        {"overlaps", r.overlaps},
        {"manifested", r.manifested},
        {"holds", r.holds},
        {"seconds", r.seconds},
        {"failure", r.failure.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.failure)},
        {"stacks", r.stacks},
    };
    if (!r.note.empty()) j["note"] = r.note;
    return j;
}

std::string where(const SiteRef& s) { return fmt::format("{}:{}", s.filename, s.row); }

void write_one(const FindingResult& r, std::ostream& out) {
    const Target& t = *r.target;
    const std::string label = t.fingerprint ? fmt::format("{} {}", t.code, *t.fingerprint) : std::string("site");
    const std::string pair = where(t.site) == where(t.partner) ? where(t.site)
                                                               : where(t.site) + " <-> " + where(t.partner);
    fmt::print(out, "{} {}: {} [{}]\n", label, pair, status_name(r.status()), r.interpreter);
    fmt::print(out, "  {} trials ({}, {}): reached in {}, by several threads in {} (up to {}), overlap in {}, "
                    "failure in {}\n",
               r.trials, r.interpreter_title, r.mechanism.empty() ? "no probe ran" : r.mechanism, r.reached_trials,
               r.several_threads_trials, r.reached_threads, r.overlaps, r.manifested);
    if (!r.failure.empty()) fmt::print(out, "  failure: {}\n", r.failure);
    if (!r.note.empty()) fmt::print(out, "  note: {}\n", r.note);
    const char* titles[] = {"held at the site", "arrived while it was held"};
    for (std::size_t i = 0; i < r.stacks.size() && i < 2; ++i) {
        fmt::print(out, "  thread {}:\n", titles[i]);
        for (const auto& frame : r.stacks[i]) fmt::print(out, "    {}\n", frame);
    }
}

}  // namespace

nlohmann::json report_json(const std::vector<FindingResult>& results) {
    nlohmann::json findings = nlohmann::json::array();
    for (const auto& r : results) findings.push_back(finding_json(r));
    return {{"version", 1}, {"tool", "raceaudit confirm"}, {"findings", findings}};
}

void write_text(const std::vector<FindingResult>& results, std::ostream& out) {
    for (const auto& r : results) write_one(r, out);
    const auto count = [&](Status s) {
        return std::count_if(results.begin(), results.end(), [&](const FindingResult& r) { return r.status() == s; });
    };
    fmt::print(out, "{} confirmed, {} reached without overlap, {} not reached ({} finding x interpreter)\n",
               count(Status::confirmed), count(Status::reached), count(Status::not_reached), results.size());
}

int exit_status(const std::vector<FindingResult>& results) {
    return std::any_of(results.begin(), results.end(),
                       [](const FindingResult& r) { return r.status() == Status::confirmed; })
               ? 1
               : 0;
}

}  // namespace raceaudit::confirm
