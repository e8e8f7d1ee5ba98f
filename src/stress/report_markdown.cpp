// Markdown report (for pull requests and issues): the outcome table, then the
// distinct failures, with the first failing run's output in <details>.

#include <fmt/format.h>

#include "util/paths.h"
#include "stress/report_writers.h"

namespace raceaudit::stress {
namespace {

using namespace report_detail;

std::string escape_cell(std::string text) {
    std::string out;
    for (char c : text) {
        if (c == '|') {
            out += "\\|";
        } else if (c == '\n') {
            out += ' ';
        } else {
            out += c;
        }
    }
    return out;
}

// Inline code that survives backticks in the content.
std::string code(const std::string& text) {
    std::string fence = "`";
    while (text.find(fence) != std::string::npos) fence += '`';
    const bool pad = !text.empty() && (text.front() == '`' || text.back() == '`');
    return fence + (pad ? " " : "") + escape_cell(text) + (pad ? " " : "") + fence;
}

void code_block(std::ostream& out, const std::string& text) {
    std::string fence = "```";
    while (text.find(fence) != std::string::npos) fence += '`';
    out << fence << '\n' << text;
    if (!text.empty() && text.back() != '\n') out << '\n';
    out << fence << '\n';
}

// A list item per interpreter; a failed control gets its traceback (or, with
// --show-output, its output) in <details>.
void write_controls(const Report& report, const WriterOptions& options, std::ostream& out) {
    for (const auto& control : report.controls) {
        const Outcome& o = control.outcome;
        out << "- " << escape_cell(control_label(control)) << ", "
            << escape_cell(interpreter_label(report, control.interpreter)) << ": " << code(escape_control(describe(o)));
        if (o.where) out << " at " << code(display_location(*o.where));
        if (o.via) out << " via " << code(display_location(*o.via));
        out << '\n';
        if (!o.failed()) continue;
        out << "\n  <details><summary>control run output</summary>\n\n";
        if (options.show_output) {
            if (!control.stderr_text.empty()) code_block(out, control.stderr_text);
            if (!control.stdout_text.empty()) code_block(out, control.stdout_text);
        } else if (!o.traceback.empty()) {
            code_block(out, o.traceback);
        }
        out << "\n  </details>\n\n";
    }
    if (!report.controls.empty()) out << '\n';
}

}  // namespace

void write_markdown_report(const Report& report, const WriterOptions& options, std::ostream& out) {
    const SessionInfo& s = report.info;
    std::string target = s.mode == StressConfig::Mode::script ? display_path(s.target) : "--call " + s.target;
    if (s.mode == StressConfig::Mode::workload) {
        if (!s.setup.empty()) target += " --setup " + s.setup;
        if (!s.check.empty()) target += " --check " + s.check;
    }
    out << "### raceaudit stress: " << code(escape_control(target)) << "\n\n";
    out << settings_line(report) << ".\n\n";
    write_controls(report, options, out);
    if (report.reproducer_broken()) {
        out << "**Result:** " << summary_line(report) << ".\n";
        return;
    }

    std::vector<OutcomeKind> kinds;
    for (OutcomeKind kind : kAllOutcomeKinds) {
        if (rare_kind(kind) && !any_of_kind(report, kind)) continue;
        kinds.push_back(kind);
    }
    out << "| interpreter | version | threads | runs |";
    for (OutcomeKind k : kinds) out << ' ' << outcome_kind_title(k) << " |";
    out << "\n|---|---|--:|--:|";
    for (std::size_t i = 0; i < kinds.size(); ++i) out << "--:|";
    out << '\n';
    for (const auto& cell : report.cells) {
        const Interpreter& interp = report.interpreters.at(cell.interpreter);
        out << "| " << escape_cell(interp.name) << " | " << escape_cell(interp.description()) << " | "
            << threads_label(cell.threads) << " | " << cell.runs << " |";
        for (OutcomeKind k : kinds) {
            const std::size_t n = cell.count(k);
            // Bold the failures so they stand out in a rendered table.
            out << ' ' << (k != OutcomeKind::ok && n > 0 ? fmt::format("**{}**", n) : std::to_string(n)) << " |";
        }
        out << '\n';
    }

    bool heading = false;
    for (const auto& cell : report.cells) {
        if (cell.failures.empty()) continue;
        if (!heading) {
            out << "\n#### Failures\n";
            heading = true;
        }
        out << fmt::format("\n**{}**: {} of {} runs failed\n\n", escape_cell(cell_label(report, cell)), cell.failed(),
                           cell.runs);
        for (const auto& group : cell.failures) {
            const Outcome& o = group.first;
            out << fmt::format("- {}× {}", group.count, code(escape_control(describe(o))));
            if (o.where) out << " at " << code(display_location(*o.where));
            if (o.via) out << " via " << code(display_location(*o.via));
            out << fmt::format(" (first seen in run {})\n", group.first_repeat + 1);
            if (options.show_output) {
                out << "\n  <details><summary>output of run " << group.first_repeat + 1 << "</summary>\n\n";
                if (!group.first_stderr.empty()) code_block(out, group.first_stderr);
                if (!group.first_stdout.empty()) code_block(out, group.first_stdout);
                if (group.first_stderr.empty() && group.first_stdout.empty()) out << "(no output)\n";
                out << "\n  </details>\n\n";
            }
        }
    }
    out << "\n**Result:** " << summary_line(report) << ".\n";
}

}  // namespace raceaudit::stress
