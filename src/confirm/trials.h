#pragma once
// Running the trials of `raceaudit confirm`: for each target and each
// interpreter, `trials` processes of the confirm driver with the target's
// two sites armed, and what they saw, summed up.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "confirm/options.h"
#include "confirm/targets.h"
#include "stress/interpreter.h"

namespace raceaudit::stress {
class SignalGuard;
class TempDir;
}  // namespace raceaudit::stress

namespace raceaudit::confirm {

enum class Status { confirmed, reached, not_reached };

struct FindingResult {
    const Target* target = nullptr;
    std::string interpreter;        // the --python name
    std::string interpreter_title;  // "CPython 3.11.7, GIL"
    std::string mechanism;          // "sys.monitoring" or "sys.settrace"
    std::string note;               // one line from the probe, if any
    int trials = 0;                 // trials that ran to the end
    int reached_threads = 0;        // most threads at a site in one trial
    int reached_trials = 0;         // trials in which a site was reached
    int several_threads_trials = 0; // ... by two threads or more
    int overlaps = 0;               // trials with an overlap observed
    int manifested = 0;             // trials in which the workload failed
    int holds = 0;                  // holds taken, all trials
    double seconds = 0;             // wall time of the trials, summed
    std::string failure;            // the first failure seen, or empty
    std::vector<std::vector<std::string>> stacks;  // of the first overlap
    std::vector<std::string> site_code;            // qualnames of the code objects of each site
    std::vector<std::string> partner_code;

    Status status() const;
};

struct TrialsOutcome {
    std::vector<FindingResult> results;  // target-major, then interpreter
    std::string error;                   // a tool or load error: one line
    int interrupt_signal = 0;
};

TrialsOutcome run_trials(const ConfirmConfig& config, const std::vector<Target>& targets,
                         const std::vector<stress::Interpreter>& interpreters, const stress::TempDir& tmp,
                         const stress::SignalGuard& signals);

// "confirmed", "reached", "not-reached"
const char* status_name(Status status);

}  // namespace raceaudit::confirm
