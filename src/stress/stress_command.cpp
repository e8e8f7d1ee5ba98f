// Wiring of `raceaudit stress` into the CLI11 application: options are bound
// to RawOptions, validated, and handed to run_session().

#include "stress/stress_command.h"

#include <iostream>
#include <memory>
#include <stdexcept>

#include "stress/options.h"
#include "stress/stress_session.h"

namespace raceaudit::stress {

void add_command(CLI::App& app, int* exit_code) {
    auto raw = std::make_shared<RawOptions>();
    CLI::App* cmd = app.add_subcommand(
        "stress",
        "Confirm a suspected race at run time: run a reproducer script, or a function in many threads, "
        "many times under several interpreters, and count how each run ended.");
    cmd->footer(
        "\nExamples:\n"
        "  raceaudit stress repro.py --python python3 --python pypy3 --repeat 50\n"
        "  raceaudit stress repro.py --threads 2,8,32 -- --size 1000\n"
        "  raceaudit stress --path src --setup app.fs:setup --call app.fs:worker --check app.fs:check --threads 32\n"
        "  raceaudit stress --list-pythons\n"
        "\nExit status: 0 every run clean, 1 some run failed (race confirmed), 2 usage or tool error, "
        "3 reproducer broken (it failed in the single-threaded control run), 130 interrupted.");

    cmd->add_option("script", raw->script, "Reproducer script to run (script mode)")->type_name("SCRIPT");
    cmd->add_option("args", raw->script_args, "Arguments for the script (after --)")->type_name("ARGS");
    cmd->add_option("--call", raw->call, "Workload mode: function run by every thread")->type_name("MODULE:FUNCTION");
    cmd->add_option("--setup", raw->setup, "Builds the shared state passed to the worker and check")
        ->type_name("MODULE:FUNCTION");
    cmd->add_option("--check", raw->check, "Inspects the state afterwards; returns a list of invariant violations")
        ->type_name("MODULE:FUNCTION");
    cmd->add_option("--python", raw->pythons,
                    "Interpreter to run under, repeatable: python3, pypy3, python3.13t, a path (default python3)")
        ->type_name("PYTHON");
    cmd->add_option("--path", raw->paths, "Directory added to PYTHONPATH for imports, repeatable")->type_name("DIR");
    cmd->add_option("--repeat", raw->repeat, "Runs per interpreter and thread count (default 20)")->type_name("N");
    cmd->add_option("--threads", raw->threads,
                    "Thread counts to sweep, e.g. 2,8,32; scripts get it as RACEAUDIT_THREADS (workload default 8)")
        ->type_name("N[,N...]");
    cmd->add_option("--rounds", raw->rounds, "Workload rounds (setup, threads, check) per run (default 1)")
        ->type_name("N");
    cmd->add_option("--switch-interval", raw->switch_interval,
                    "sys.setswitchinterval() in the child, seconds (default 1e-6)")
        ->type_name("SECONDS");
    cmd->add_option("--timeout", raw->timeout, "A run still going after this is a hang (default 60)")
        ->type_name("SECONDS");
    cmd->add_option("--kill-grace", raw->kill_grace, "After SIGTERM at the timeout, SIGKILL after this (default 2)")
        ->type_name("SECONDS");
    cmd->add_option("--jobs,-j", raw->jobs, "Runs in parallel (default: number of cores)")->type_name("N");
    cmd->add_option("--format", raw->format, "Report format: text, json or markdown (default text)")
        ->type_name("FORMAT");
    cmd->add_option("--output-file,-o", raw->output_file, "Write the report to FILE instead of stdout")
        ->type_name("FILE");
    cmd->add_flag("--show-output", raw->show_output, "Show the output of the first run of each distinct failure");
    cmd->add_flag("--no-faulthandler", raw->no_faulthandler,
                  "Do not enable faulthandler in the child (crash and hang stacks)");
    cmd->add_option("--control", raw->control,
                    "Control run before the threaded runs: single (1 thread), gil (1 thread, PYTHON_GIL=1 on a "
                    "free-threaded build) or none (default single)")
        ->type_name("MODE");
    cmd->add_flag("--no-control", raw->no_control, "Skip the control run (same as --control none)");
    cmd->add_flag("--list-pythons", raw->list_pythons, "List the interpreters found on this machine and exit");

    // A repeated single-valued option takes its last value (so that
    // scripts can append overrides), as with most command line tools.
    for (const char* name : {"--call", "--setup", "--check", "--repeat", "--threads", "--rounds",
                             "--switch-interval", "--timeout", "--kill-grace", "--jobs", "--format",
                             "--output-file", "--control"}) {
        cmd->get_option(name)->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    }

    cmd->callback([raw, exit_code] {
        const ValidationResult validated = validate(*raw);
        if (!validated.config) {
            std::cerr << "raceaudit: error: " << validated.error << '\n';
            *exit_code = 2;
            return;
        }
        try {
            *exit_code = run_session(*validated.config, std::cout, std::cerr);
        } catch (const std::exception& e) {
            std::cerr << "raceaudit: error: " << e.what() << '\n';
            *exit_code = 2;
        }
        std::cout.flush();
    });
}

}  // namespace raceaudit::stress
