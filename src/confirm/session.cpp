#include "confirm/session.h"

#include "confirm/emit_test.h"
#include "confirm/report.h"
#include "confirm/targets.h"
#include "confirm/trials.h"
#include "stress/interpreter.h"
#include "stress/report_output.h"
#include "stress/signal_guard.h"
#include "stress/temp_dir.h"

namespace raceaudit::confirm {
namespace {

constexpr int kUsageError = 2;
constexpr int kInterrupted = 130;

std::optional<std::vector<stress::Interpreter>> resolve_all(const ConfirmConfig& c, const stress::SignalGuard& signals,
                                                            std::ostream& err) {
    std::vector<stress::Interpreter> found;
    std::vector<std::string> names;
    for (const auto& name : c.pythons) {
        if (std::find(names.begin(), names.end(), name) != names.end()) continue;
        names.push_back(name);
        auto resolved = stress::resolve_interpreter(name, signals);
        if (!resolved.interpreter) {
            if (signals.interrupt_signal() == 0) err << "raceaudit: error: " << resolved.error << '\n';
            return std::nullopt;
        }
        found.push_back(*resolved.interpreter);
    }
    return found;
}

TargetsResult load_targets(const ConfirmConfig& c) {
    if (!c.site.empty()) return targets_from_sites(c.site, c.partner);
    return targets_from_scan(c.scan, c.findings);
}

bool write_report(const ConfirmConfig& c, const std::vector<FindingResult>& results, std::ostream& out,
                  std::ostream& err) {
    return stress::emit_report(c.output, out, err, [&](std::ostream& o) {
        if (c.format == Format::json) {
            o << report_json(results).dump(2) << '\n';
        } else {
            write_text(results, o);
        }
    });
}

}  // namespace

int run_session(const ConfirmConfig& config, std::ostream& out, std::ostream& err) {
    if (!config.emit_test.empty() && config.mode == WorkloadMode::pytest) {
        err << "raceaudit: error: --emit-test works with --call or a script workload, not --pytest\n";
        return kUsageError;
    }
    if (std::string e; !config.output.empty() && !stress::output_file_writable(config.output, &e)) {
        err << "raceaudit: error: " << e << '\n';
        return kUsageError;
    }
    const TargetsResult targets = load_targets(config);
    if (!targets.error.empty()) {
        err << "raceaudit: error: " << targets.error << '\n';
        return kUsageError;
    }
    stress::SignalGuard signals;
    const auto interpreters = resolve_all(config, signals, err);
    if (!interpreters) return signals.interrupt_signal() ? kInterrupted : kUsageError;
    stress::TempDir tmp("raceaudit-confirm-");
    const TrialsOutcome outcome = run_trials(config, targets.targets, *interpreters, tmp, signals);
    if (outcome.interrupt_signal) return kInterrupted;
    if (!outcome.error.empty()) {
        err << "raceaudit: error: " << outcome.error << '\n';
        return kUsageError;
    }
    if (!write_report(config, outcome.results, out, err)) return kUsageError;
    if (!config.emit_test.empty()) {
        std::string note;
        if (std::string e = emit_test(config, outcome.results, &note); !e.empty()) {
            err << "raceaudit: error: " << e << '\n';
            return kUsageError;
        }
        err << "raceaudit confirm: " << note << '\n';
    }
    return exit_status(outcome.results);
}

}  // namespace raceaudit::confirm
