// Plain text report: one table row per interpreter and thread count, then
// the distinct failures of each cell.

#include <algorithm>
#include <sstream>

#include <fmt/format.h>

#include "util/paths.h"
#include "stress/report_writers.h"

namespace raceaudit::stress {
namespace {

using namespace report_detail;

std::vector<OutcomeKind> shown_kinds(const Report& report) {
    std::vector<OutcomeKind> kinds;
    for (OutcomeKind kind : kAllOutcomeKinds) {
        // "no result" and "not started" only appear when there are such runs.
        if (rare_kind(kind) && !any_of_kind(report, kind)) continue;
        kinds.push_back(kind);
    }
    return kinds;
}

void write_table(const Report& report, std::ostream& out) {
    const auto kinds = shown_kinds(report);
    std::vector<std::string> header = {"interpreter", "version", "threads", "runs"};
    for (OutcomeKind k : kinds) header.emplace_back(outcome_kind_title(k));
    std::vector<std::vector<std::string>> rows;
    for (const auto& cell : report.cells) {
        const Interpreter& interp = report.interpreters.at(cell.interpreter);
        std::vector<std::string> row = {interp.name, interp.description(), threads_label(cell.threads),
                                        std::to_string(cell.runs)};
        for (OutcomeKind k : kinds) row.push_back(std::to_string(cell.count(k)));
        rows.push_back(std::move(row));
    }
    std::vector<std::size_t> width(header.size());
    for (std::size_t i = 0; i < header.size(); ++i) {
        width[i] = header[i].size();
        for (const auto& row : rows) width[i] = std::max(width[i], row[i].size());
    }
    auto print_row = [&](const std::vector<std::string>& row) {
        std::string line;
        for (std::size_t i = 0; i < row.size(); ++i) {
            if (i > 0) line += "  ";
            // Names left-aligned, numbers right-aligned.
            line += i < 2 ? fmt::format("{:<{}}", row[i], width[i]) : fmt::format("{:>{}}", row[i], width[i]);
        }
        while (!line.empty() && line.back() == ' ') line.pop_back();
        out << line << '\n';
    };
    print_row(header);
    for (const auto& row : rows) print_row(row);
}

void write_indented(std::ostream& out, const std::string& text, const std::string& indent) {
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out << indent << "| " << escape_control(line) << '\n';
}

// The lines under a failure's heading: where, via, further violations.
void write_where(const Outcome& o, std::ostream& out) {
    if (o.where) out << "       at " << display_location(*o.where) << '\n';
    if (o.via) out << "       via " << display_location(*o.via) << '\n';
    if (o.kind == OutcomeKind::wrong_result) {
        for (std::size_t i = 1; i < o.violations.size(); ++i)
            out << "       also: " << escape_control(o.violations[i]) << '\n';
    }
}

void write_output(const std::string& std_out, const std::string& err, std::ostream& out) {
    if (!err.empty()) {
        out << "       stderr:\n";
        write_indented(out, err, "       ");
    }
    if (!std_out.empty()) {
        out << "       stdout:\n";
        write_indented(out, std_out, "       ");
    }
    if (err.empty() && std_out.empty()) out << "       (no output)\n";
}

void write_failure(const Report& report, const FailureGroup& group, const WriterOptions& options, std::ostream& out) {
    const Outcome& o = group.first;
    out << fmt::format("  {:>3}x {}\n", group.count, escape_control(describe(o)));
    write_where(o, out);
    out << fmt::format("       first seen in run {} of {}\n", group.first_repeat + 1, report.info.repeat);
    if (options.show_output) write_output(group.first_stdout, group.first_stderr, out);
}

// One line per interpreter; a failed control also gets its traceback.
void write_controls(const Report& report, const WriterOptions& options, std::ostream& out) {
    for (const auto& control : report.controls) {
        const Outcome& o = control.outcome;
        out << fmt::format("{}, {}: {}\n", control_label(control), interpreter_label(report, control.interpreter),
                           escape_control(describe(o)));
        if (!o.failed()) continue;
        write_where(o, out);
        if (options.show_output) {
            write_output(control.stdout_text, control.stderr_text, out);
        } else if (!o.traceback.empty()) {
            write_indented(out, o.traceback, "       ");
        }
    }
    if (!report.controls.empty()) out << '\n';
}

}  // namespace

void write_text_report(const Report& report, const WriterOptions& options, std::ostream& out) {
    const SessionInfo& s = report.info;
    std::string target = s.mode == StressConfig::Mode::script ? display_path(s.target) : "--call " + s.target;
    if (s.mode == StressConfig::Mode::workload) {
        if (!s.setup.empty()) target += " --setup " + s.setup;
        if (!s.check.empty()) target += " --check " + s.check;
    }
    out << "raceaudit stress: " << escape_control(target) << '\n';
    out << settings_line(report) << "\n\n";
    write_controls(report, options, out);
    if (report.reproducer_broken()) {
        out << summary_line(report) << ".\n";
        return;
    }
    write_table(report, out);

    for (const auto& cell : report.cells) {
        if (cell.failures.empty()) continue;
        out << '\n'
            << fmt::format("{}: {} of {} runs failed, {} distinct failure{}\n", cell_label(report, cell),
                           cell.failed(), cell.runs, cell.failures.size(), cell.failures.size() == 1 ? "" : "s");
        for (const auto& group : cell.failures) write_failure(report, group, options, out);
    }
    out << '\n' << summary_line(report) << ".\n";
}

}  // namespace raceaudit::stress
