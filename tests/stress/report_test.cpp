#include "stress/report.h"

#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "stress/report_writers.h"

namespace raceaudit::stress {
namespace {

Interpreter python3() {
    Interpreter i;
    i.name = "python3";
    i.implementation = "cpython";
    i.major = 3;
    i.minor = 11;
    i.micro = 7;
    i.executable = "/usr/bin/python3";
    return i;
}

Outcome index_error(int line) {
    Outcome o;
    o.kind = OutcomeKind::exception;
    o.exception_type = "IndexError";
    o.message = "pop from empty list";
    o.where = Frame{"/app/repro.py", line, "pop_from"};
    o.traceback = "Traceback (most recent call last):\n...\nIndexError: pop from empty list\n";
    return o;
}

ProcessResult result_with_output(const std::string& err) {
    ProcessResult r;
    r.started = true;
    r.exited = true;
    r.exit_code = 1;
    r.err.append(err);
    return r;
}

Report sample_report() {
    SessionInfo info;
    info.mode = StressConfig::Mode::script;
    info.target = "/app/repro.py";
    info.repeat = 4;
    info.threads = {0};
    info.switch_interval = 1e-6;
    info.timeout = 60;
    info.jobs = 2;
    ReportBuilder builder(info, {python3()}, 4);
    PlannedRun run;
    // Completion order 2, 0, 3, 1: the first occurrence must still be run 0.
    run.repeat = 2;
    builder.add(2, run, result_with_output("output of run 2"), index_error(5));
    run.repeat = 0;
    builder.add(0, run, result_with_output("output of run 0"), index_error(5));
    run.repeat = 3;
    Outcome crash;
    crash.kind = OutcomeKind::crash;
    crash.signal = 11;
    builder.add(3, run, result_with_output("crash output"), crash);
    run.repeat = 1;
    ProcessResult ok;
    ok.started = true;
    ok.exited = true;
    builder.add(1, run, ok, Outcome{});
    return builder.finish();
}

TEST(Report, AggregatesPerCellAndFailure) {
    const Report report = sample_report();
    ASSERT_EQ(report.cells.size(), 1u);
    const Cell& cell = report.cells[0];
    EXPECT_EQ(cell.runs, 4u);
    EXPECT_EQ(cell.count(OutcomeKind::ok), 1u);
    EXPECT_EQ(cell.count(OutcomeKind::exception), 2u);
    EXPECT_EQ(cell.count(OutcomeKind::crash), 1u);
    ASSERT_EQ(cell.failures.size(), 2u);
    EXPECT_EQ(cell.failures[0].count, 2u);  // most frequent first
    EXPECT_EQ(cell.failures[0].first_run, 0u);
    EXPECT_EQ(cell.failures[0].first_stderr, "output of run 0");
    EXPECT_EQ(report.failed_runs(), 3u);
    EXPECT_EQ(report.distinct_failures(), 2u);
    EXPECT_EQ(exit_status(report), 1);
    ASSERT_EQ(report.runs.size(), 4u);
    EXPECT_EQ(report.runs[0].run, 0u);  // plan order
    EXPECT_EQ(report.runs[3].failure, 1u);  // the crash, after re-sorting
}

TEST(Report, ExitStatus) {
    SessionInfo info;
    info.threads = {0};
    ReportBuilder clean(info, {python3()}, 1);
    ProcessResult ok;
    ok.started = true;
    ok.exited = true;
    clean.add(0, PlannedRun{}, ok, Outcome{});
    EXPECT_EQ(exit_status(clean.finish()), 0);
    ReportBuilder interrupted(info, {python3()}, 1);
    interrupted.set_interrupted(2);
    EXPECT_EQ(exit_status(interrupted.finish()), 130);
}

TEST(Report, FailedControlMeansBrokenNotConfirmed) {
    SessionInfo info;
    info.threads = {0};
    Report report = ReportBuilder(info, {python3()}, 4).finish();
    report.controls.push_back(ControlRun{});
    EXPECT_FALSE(report.reproducer_broken());
    EXPECT_EQ(exit_status(report), 0);
    report.controls[0].outcome = index_error(5);
    EXPECT_TRUE(report.reproducer_broken());
    EXPECT_FALSE(report.race_confirmed());
    EXPECT_EQ(report.status(), "broken");
    EXPECT_EQ(exit_status(report), kExitReproducerBroken);
    report.controls[0].outcome.kind = OutcomeKind::error;  // not started: a tool error, not the reproducer's
    EXPECT_FALSE(report.reproducer_broken());
}

TEST(ReportWriters, Text) {
    std::ostringstream out;
    write_text_report(sample_report(), WriterOptions{true}, out);
    const std::string text = out.str();
    EXPECT_NE(text.find("interpreter  version"), std::string::npos) << text;
    EXPECT_NE(text.find("2x exception IndexError: pop from empty list"), std::string::npos) << text;
    EXPECT_NE(text.find("at /app/repro.py:5 in pop_from"), std::string::npos) << text;
    EXPECT_NE(text.find("| output of run 0"), std::string::npos) << text;
    EXPECT_EQ(text.find("output of run 2"), std::string::npos) << text;
    EXPECT_NE(text.find("race confirmed: 3 of 4 runs failed (2 distinct failures)"), std::string::npos) << text;
}

TEST(ReportWriters, Markdown) {
    std::ostringstream out;
    write_markdown_report(sample_report(), WriterOptions{false}, out);
    const std::string md = out.str();
    EXPECT_NE(md.find("| interpreter | version | threads | runs | ok | exception |"), std::string::npos) << md;
    EXPECT_NE(md.find("| python3 | CPython 3.11.7, GIL | - | 4 | 1 | **2** | **1** |"), std::string::npos) << md;
    EXPECT_NE(md.find("2× `exception IndexError: pop from empty list` at `/app/repro.py:5 in pop_from`"),
              std::string::npos)
        << md;
}

TEST(ReportWriters, JsonIsValidEvenWithBinaryOutput) {
    Report report = sample_report();
    report.cells[0].failures[0].first_stderr = std::string("bad \xff\xfe bytes");
    std::ostringstream out;
    write_json_report(report, WriterOptions{true}, out);
    const auto doc = nlohmann::json::parse(out.str());
    EXPECT_EQ(doc["summary"]["failed_runs"], 3);
    EXPECT_EQ(doc["summary"]["race_confirmed"], true);
    EXPECT_EQ(doc["cells"][0]["counts"]["exception"], 2);
    EXPECT_EQ(doc["cells"][0]["failures"][0]["exception_type"], "IndexError");
    EXPECT_EQ(doc["cells"][0]["failures"][0]["location"]["line"], 5);
    EXPECT_EQ(doc["cells"][0]["failures"][1]["signal"], "SIGSEGV");
    EXPECT_EQ(doc["runs"].size(), 4u);
    EXPECT_TRUE(doc["cells"][0]["threads"].is_null());
}

}  // namespace
}  // namespace raceaudit::stress
