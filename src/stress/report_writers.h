#pragma once
// Report writers: one per format, all over the same Report.

#include <ostream>
#include <string>

#include "stress/options.h"
#include "stress/report.h"

namespace raceaudit::stress {

struct WriterOptions {
    bool show_output = false;  // include the first failing run's output per failure
};

void write_text_report(const Report& report, const WriterOptions& options, std::ostream& out);
void write_json_report(const Report& report, const WriterOptions& options, std::ostream& out);
void write_markdown_report(const Report& report, const WriterOptions& options, std::ostream& out);

void write_report(const Report& report, ReportFormat format, const WriterOptions& options, std::ostream& out);

// Helpers shared by the human-readable writers.
namespace report_detail {
// A file path relative to the current directory when it is below it.
std::string display_path(const std::string& path);
// "file.py:12 in f" with display_path applied.
std::string display_location(const Frame& frame);
// "8", or "-" when the thread count was not set.
std::string threads_label(int threads);
// "python3 (CPython 3.11.7, GIL)"
std::string interpreter_label(const Report& report, std::size_t interpreter);
// "python3 (CPython 3.11.7, GIL), 8 threads" (no thread part when unset)
std::string cell_label(const Report& report, const Cell& cell);
// Kinds whose column is left out when no run is of that kind: no_result, error.
bool rare_kind(OutcomeKind kind);
// Whether any cell has runs of this kind (columns that are always empty are left out).
bool any_of_kind(const Report& report, OutcomeKind kind);
// "control run, 1 thread" (", PYTHON_GIL=1" when the GIL was forced on).
std::string control_label(const ControlRun& control);
// One line: "race confirmed: 18 of 40 runs failed (2 distinct failures)" and so on.
std::string summary_line(const Report& report);
// "20 runs per cell, switch interval 1e-06 s, timeout 60 s, 2 parallel jobs"
std::string settings_line(const Report& report);
}  // namespace report_detail

}  // namespace raceaudit::stress
