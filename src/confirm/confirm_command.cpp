#include "confirm/confirm_command.h"

#include <iostream>
#include <memory>

#include "confirm/options.h"
#include "confirm/session.h"

namespace raceaudit::confirm {
namespace {

void add_inputs(CLI::App* cmd, RawOptions* raw) {
    cmd->add_option("inputs", raw->positionals, "A scan's JSON (FILE.json) and/or a script with its arguments")
        ->type_name("SCAN.json|SCRIPT");
    cmd->add_option("--scan", raw->scan, "Findings to confirm: `raceaudit scan --format json` output")
        ->type_name("FILE");
    cmd->add_option("--finding", raw->findings, "Only this finding, by fingerprint; repeatable")
        ->type_name("FINGERPRINT");
    cmd->add_option("--site", raw->site, "A site to probe, instead of a scan")->type_name("FILE:LINE");
    cmd->add_option("--partner", raw->partner, "The other site of the race (the same line for x += 1)")
        ->type_name("FILE:LINE");
}

void add_workload(CLI::App* cmd, RawOptions* raw) {
    cmd->add_option("--script", raw->script, "Workload: a script (its own threads)")->type_name("SCRIPT");
    cmd->add_option("--call", raw->call, "Workload: function run by every thread")->type_name("MODULE:FUNCTION");
    cmd->add_option("--setup", raw->setup, "Builds the shared state passed to --call")->type_name("MODULE:FUNCTION");
    cmd->add_option("--check", raw->check, "Inspects the state afterwards; returns violations")
        ->type_name("MODULE:FUNCTION");
    cmd->add_option("--path", raw->paths, "Directory added to PYTHONPATH, repeatable")->type_name("DIR");
    cmd->add_option("--pytest", raw->pytest, "Workload: each selected test body run in N threads at once")
        ->type_name("FILE");
    cmd->add_option("-k", raw->pytest_k, "pytest -k expression for --pytest")->type_name("EXPR");
    cmd->add_option("--threads", raw->threads, "Threads for --call and --pytest (default 4)")->type_name("N");
}

void add_run(CLI::App* cmd, RawOptions* raw) {
    cmd->add_option("--trials", raw->trials, "Runs per finding and interpreter (default 10)")->type_name("N");
    cmd->add_option("--python", raw->pythons, "Interpreter, repeatable (default python3)")->type_name("PYTHON");
    cmd->add_option("--delay", raw->delay, "First hold at a site, seconds; adapts up to 0.05 (default 0.002)")
        ->type_name("SECONDS");
    cmd->add_option("--timeout", raw->timeout, "A trial still going after this is a hang (default 120)")
        ->type_name("SECONDS");
    cmd->add_option("--jobs,-j", raw->jobs, "Trials in parallel (default: number of cores)")->type_name("N");
    cmd->add_option("--format", raw->format, "text or json (default text)")->type_name("FORMAT");
    cmd->add_option("--output,-o", raw->output, "Write the report to FILE")->type_name("FILE");
    cmd->add_option("--emit-test", raw->emit_test, "Write a pytest regression test for the confirmed races")
        ->type_name("FILE");
    cmd->add_flag("--unarmed", raw->unarmed, "Run the trials without probes (a baseline)");
}

}  // namespace

void add_command(CLI::App& app, int* exit_code) {
    auto raw = std::make_shared<RawOptions>();
    CLI::App* cmd = app.add_subcommand(
        "confirm",
        "Confirm findings at run time: hold a thread at one site of a race and watch whether another "
        "thread reaches the other site on the same object (TSVD style).");
    cmd->footer(
        "\nExamples:\n"
        "  raceaudit scan --format json src > scan.json\n"
        "  raceaudit confirm scan.json --path . --setup app.drv:setup --call app.drv:worker --threads 4\n"
        "  raceaudit confirm --site app/cache.py:40 --partner app/cache.py:42 repro.py\n"
        "  raceaudit confirm scan.json --pytest tests/test_cache.py -k add --python /usr/bin/python3\n"
        "  raceaudit confirm scan.json --call app.drv:worker --emit-test tests/test_race_cache.py\n"
        "\nExit status: 0 nothing confirmed, 1 a race confirmed (overlap observed), 2 usage or tool error, "
        "130 interrupted.");
    add_inputs(cmd, raw.get());
    add_workload(cmd, raw.get());
    add_run(cmd, raw.get());
    for (const char* name : {"--scan", "--site", "--partner", "--call", "--setup", "--check", "--pytest",
                             "--threads", "--trials", "--format", "--output", "--emit-test", "--jobs"}) {
        cmd->get_option(name)->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    }
    // One value per occurrence, so that `--finding FP script.py` leaves the script alone.
    for (const char* name : {"--finding", "--path", "--python"}) cmd->get_option(name)->allow_extra_args(false);
    cmd->callback([raw, exit_code] {
        const Validated v = validate(*raw);
        if (!v.config) {
            std::cerr << "raceaudit: error: " << v.error << '\n';
            *exit_code = 2;
            return;
        }
        try {
            *exit_code = run_session(*v.config, std::cout, std::cerr);
        } catch (const std::exception& e) {
            std::cerr << "raceaudit: error: " << e.what() << '\n';
            *exit_code = 2;
        }
        std::cout.flush();
    });
}

}  // namespace raceaudit::confirm
