#pragma once
// The options of `raceaudit confirm`: as typed (bound to CLI11) and validated
// into a ConfirmConfig.

#include <optional>
#include <string>
#include <vector>

namespace raceaudit::confirm {

enum class Format { text, json };
enum class WorkloadMode { script, call, pytest };

struct RawOptions {
    std::vector<std::string> positionals;  // scan.json and/or a script, then script arguments
    std::string scan;
    std::vector<std::string> findings;
    std::string site;
    std::string partner;
    std::string script;
    std::string call;
    std::string setup;
    std::string check;
    std::vector<std::string> paths;
    std::string pytest;
    std::string pytest_k;
    std::string threads = "4";
    std::string trials = "10";
    std::vector<std::string> pythons;
    std::string delay = "0.002";
    std::string timeout = "120";
    std::string jobs;
    std::string format = "text";
    std::string output;
    std::string emit_test;
    bool unarmed = false;
};

struct ConfirmConfig {
    std::string scan;  // scan JSON, or empty with --site
    std::vector<std::string> findings;
    std::string site;     // FILE:LINE
    std::string partner;  // FILE:LINE
    WorkloadMode mode = WorkloadMode::call;
    std::string script;
    std::vector<std::string> script_args;
    std::string call;
    std::string setup;
    std::string check;
    std::vector<std::string> paths;  // absolute
    std::string pytest_file;
    std::string pytest_k;
    int threads = 4;
    int trials = 10;
    std::vector<std::string> pythons;  // default {"python3"}
    double delay = 0.002;
    double timeout = 120.0;
    int jobs = 1;
    Format format = Format::text;
    std::string output;
    std::string emit_test;
    bool armed = true;  // --unarmed: the same runs without probes (baselines)
};

struct Validated {
    std::optional<ConfirmConfig> config;
    std::string error;  // one line, without "raceaudit: error: "
};

Validated validate(const RawOptions& raw);

}  // namespace raceaudit::confirm
