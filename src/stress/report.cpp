#include "stress/report.h"

#include <algorithm>

namespace raceaudit::stress {

std::size_t Report::failed_runs() const {
    std::size_t n = 0;
    for (const auto& cell : cells) n += cell.failed();
    return n;
}

std::size_t Report::not_started_runs() const {
    std::size_t n = 0;
    for (const auto& cell : cells) n += cell.not_started();
    return n;
}

bool any_control_failed(const std::vector<ControlRun>& controls) {
    for (const auto& control : controls) {
        if (control.outcome.failed() && control.outcome.kind != OutcomeKind::error) return true;
    }
    return false;
}

bool Report::reproducer_broken() const { return any_control_failed(controls); }

std::size_t Report::distinct_failures() const {
    std::size_t n = 0;
    for (const auto& cell : cells) n += cell.failures.size();
    return n;
}

ReportBuilder::ReportBuilder(SessionInfo info, std::vector<Interpreter> interpreters, std::size_t planned_runs) {
    report_.info = std::move(info);
    report_.interpreters = std::move(interpreters);
    report_.planned_runs = planned_runs;
    const std::vector<int> threads = report_.info.threads.empty() ? std::vector<int>{0} : report_.info.threads;
    for (std::size_t i = 0; i < report_.interpreters.size(); ++i) {
        for (int t : threads) {
            Cell cell;
            cell.interpreter = i;
            cell.threads = t;
            report_.cells.push_back(std::move(cell));
            group_index_.emplace_back();
        }
    }
}

Cell& ReportBuilder::cell_for(std::size_t interpreter, int threads) {
    for (auto& cell : report_.cells) {
        if (cell.interpreter == interpreter && cell.threads == threads) return cell;
    }
    Cell cell;
    cell.interpreter = interpreter;
    cell.threads = threads;
    report_.cells.push_back(std::move(cell));
    group_index_.emplace_back();
    return report_.cells.back();
}

void ReportBuilder::add(std::size_t run_index, const PlannedRun& run, const ProcessResult& result, Outcome outcome) {
    Cell& cell = cell_for(run.interpreter, run.threads);
    auto& index = group_index_[static_cast<std::size_t>(&cell - report_.cells.data())];
    ++cell.runs;
    ++cell.counts[static_cast<std::size_t>(outcome.kind)];

    RunRecord record;
    record.run = run_index;
    record.interpreter = run.interpreter;
    record.threads = run.threads;
    record.repeat = run.repeat;
    record.kind = outcome.kind;
    record.exited = result.exited;
    record.exit_code = result.exit_code;
    record.signal = result.signaled ? result.term_signal : 0;
    record.duration_s = result.duration_s;
    record.stdout_bytes = result.out.total_bytes();
    record.stderr_bytes = result.err.total_bytes();

    if (outcome.failed()) {
        const std::string key = group_key(outcome);
        auto it = index.find(key);
        if (it == index.end()) {
            it = index.emplace(key, cell.failures.size()).first;
            cell.failures.emplace_back();
            cell.failures.back().first_run = run_index;
        }
        FailureGroup& group = cell.failures[it->second];
        ++group.count;
        // Runs finish in any order; keep the output of the earliest one, so
        // the report does not depend on timing or --jobs.
        if (group.count == 1 || run_index <= group.first_run) {
            group.first_run = run_index;
            group.first_repeat = run.repeat;
            group.first = std::move(outcome);
            group.first_stdout = result.out.text();
            group.first_stderr = result.err.text();
        }
        record.failure = it->second;
    }
    report_.runs.push_back(record);
}

Report ReportBuilder::finish() {
    std::sort(report_.runs.begin(), report_.runs.end(),
              [](const RunRecord& a, const RunRecord& b) { return a.run < b.run; });
    // Most frequent failure first (ties: first seen first); remap run records.
    for (std::size_t c = 0; c < report_.cells.size(); ++c) {
        Cell& cell = report_.cells[c];
        std::vector<std::size_t> order(cell.failures.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            if (cell.failures[a].count != cell.failures[b].count) return cell.failures[a].count > cell.failures[b].count;
            return cell.failures[a].first_run < cell.failures[b].first_run;
        });
        std::vector<std::size_t> new_position(order.size());
        std::vector<FailureGroup> sorted;
        sorted.reserve(order.size());
        for (std::size_t pos = 0; pos < order.size(); ++pos) {
            new_position[order[pos]] = pos;
            sorted.push_back(std::move(cell.failures[order[pos]]));
        }
        cell.failures = std::move(sorted);
        for (auto& record : report_.runs) {
            if (record.kind != OutcomeKind::ok && record.interpreter == cell.interpreter &&
                record.threads == cell.threads) {
                record.failure = new_position[record.failure];
            }
        }
    }
    return std::move(report_);
}

std::string_view Report::status() const {
    if (interrupt_signal != 0) return "interrupted";
    if (not_started_runs() > 0) return "error";
    if (reproducer_broken()) return "broken";
    return race_confirmed() ? "race-confirmed" : "clean";
}

int exit_status(const Report& report) {
    const std::string_view status = report.status();
    if (status == "interrupted") return 130;
    if (status == "error") return 2;
    if (status == "broken") return kExitReproducerBroken;
    return status == "race-confirmed" ? 1 : 0;
}

}  // namespace raceaudit::stress
