#include "stress/traceback_parser.h"

#include <algorithm>
#include <regex>

namespace raceaudit::stress {
namespace {

constexpr std::string_view kTracebackHeader = "Traceback (most recent call last):";
constexpr std::string_view kThreadPrefix = "Exception in thread ";
constexpr std::string_view kFatalPrefix = "Fatal Python error: ";

std::vector<std::string_view> split_lines(std::string_view text) {
    std::vector<std::string_view> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        lines.push_back(line);
        start = end + 1;
    }
    return lines;
}

bool starts_with(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool is_indented(std::string_view line) {
    return !line.empty() && (line[0] == ' ' || line[0] == '\t');
}

// `  File "x.py", line 3, in f`  (traceback) and
// `  File "x.py", line 3 in f`   (faulthandler), and a SyntaxError's
// `  File "x.py", line 3` without a function.
std::optional<Frame> parse_frame_line(std::string_view line) {
    static const std::regex re(R"re(^\s+File "(.*)", line (\d+)(?:,? in (.*))?$)re");
    std::match_results<std::string_view::const_iterator> m;
    if (!std::regex_match(line.begin(), line.end(), m, re)) return std::nullopt;
    Frame frame;
    frame.file = m[1].str();
    try {
        frame.line = std::stoi(m[2].str());
    } catch (...) {
        frame.line = 0;
    }
    if (m[3].matched) frame.function = m[3].str();
    return frame;
}

bool is_dotted_identifier(std::string_view s) {
    static const std::regex re(R"(^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_<>]*)*$)");
    return !s.empty() && std::regex_match(s.begin(), s.end(), re);
}

std::string normalize_type(std::string_view type) {
    for (std::string_view prefix : {std::string_view("__main__."), std::string_view("builtins.")}) {
        if (starts_with(type, prefix)) type.remove_prefix(prefix.size());
    }
    return std::string(type);
}

void parse_exception_line(std::string_view line, ParsedTraceback& tb) {
    const std::size_t colon = line.find(": ");
    if (colon != std::string_view::npos && is_dotted_identifier(line.substr(0, colon))) {
        tb.exception_type = normalize_type(line.substr(0, colon));
        tb.message = std::string(line.substr(colon + 2));
    } else if (ends_with(line, ":") && is_dotted_identifier(line.substr(0, line.size() - 1))) {
        tb.exception_type = normalize_type(line.substr(0, line.size() - 1));
    } else if (is_dotted_identifier(line)) {
        tb.exception_type = normalize_type(line);
    } else {
        tb.exception_type = "<unparsed>";
        tb.message = std::string(line);
    }
}

std::string join(const std::vector<std::string_view>& lines, std::size_t from, std::size_t to) {
    std::string out;
    for (std::size_t i = from; i < to && i < lines.size(); ++i) {
        out.append(lines[i]);
        out.push_back('\n');
    }
    return out;
}

bool is_stack_header(std::string_view line) {
    return (starts_with(line, "Current thread ") || starts_with(line, "Thread 0x") ||
            starts_with(line, "Stack (most recent call first")) &&
           line.find("most recent call first") != std::string_view::npos;
}

}  // namespace

std::vector<ParsedTraceback> parse_tracebacks(std::string_view text) {
    std::vector<ParsedTraceback> result;
    const auto lines = split_lines(text);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (lines[i] != kTracebackHeader) continue;
        ParsedTraceback tb;
        std::size_t block_start = i;
        if (i > 0 && starts_with(lines[i - 1], kThreadPrefix)) {
            tb.in_thread = true;
            std::string_view name = lines[i - 1].substr(kThreadPrefix.size());
            if (ends_with(name, ":")) name.remove_suffix(1);
            tb.thread_name = std::string(name);
            block_start = i - 1;
        }
        std::size_t j = i + 1;
        for (; j < lines.size(); ++j) {
            const std::string_view line = lines[j];
            if (is_indented(line)) {
                if (auto frame = parse_frame_line(line)) tb.frames.push_back(std::move(*frame));
                continue;  // source line, caret markers, or a wrapped frame
            }
            if (line.empty()) continue;
            if (line == kTracebackHeader) {  // a new block with no exception line before it
                --j;
                break;
            }
            parse_exception_line(line, tb);
            break;
        }
        const std::size_t end = std::min(j + 1, lines.size());
        tb.text = join(lines, block_start, end);
        result.push_back(std::move(tb));
        i = j;
    }
    return result;
}

std::optional<FaultDump> parse_fault_dump(std::string_view text) {
    const auto lines = split_lines(text);
    std::optional<FaultDump> dump;
    std::size_t i = 0;
    for (; i < lines.size(); ++i) {
        if (starts_with(lines[i], kFatalPrefix)) {
            dump.emplace();
            dump->fatal_error = std::string(lines[i].substr(kFatalPrefix.size()));
            break;
        }
    }
    if (!dump) i = 0;  // no fatal error (a dump on SIGTERM): look for stacks anywhere
    // Prefer the crashing ("Current thread") stack; fall back to the first one.
    std::optional<std::size_t> chosen;
    for (std::size_t k = dump ? i + 1 : 0; k < lines.size(); ++k) {
        if (!is_stack_header(lines[k])) continue;
        if (starts_with(lines[k], "Current thread") || starts_with(lines[k], "Stack (")) {
            chosen = k;
            break;
        }
        if (!chosen) chosen = k;
    }
    if (!dump && !chosen) return std::nullopt;
    if (!dump) dump.emplace();
    if (chosen) {
        std::vector<Frame> frames;
        for (std::size_t k = *chosen + 1; k < lines.size(); ++k) {
            auto frame = parse_frame_line(lines[k]);
            if (!frame) {
                if (is_indented(lines[k])) continue;  // e.g. "  <no Python frame>"
                break;
            }
            frames.push_back(std::move(*frame));
        }
        std::reverse(frames.begin(), frames.end());  // dumps list the most recent call first
        dump->frames = std::move(frames);
    }
    return dump;
}

bool is_harness_frame(const Frame& frame) {
    const std::string_view file = frame.file;
    if (file == "<string>" || file == "<frozen runpy>" || ends_with(file, "/runpy.py") ||
        ends_with(file, "raceaudit_stress_driver.py") || ends_with(file, "/app_main.py")) {
        return true;
    }
    // threading's own frames that start a thread and call its target.
    if (ends_with(file, "/threading.py") || file == "<frozen threading>") {
        return frame.function == "_bootstrap" || frame.function == "_bootstrap_inner" || frame.function == "run";
    }
    return false;
}

namespace {

bool in_library(const Frame& frame, const std::vector<std::string>& library_dirs) {
    const std::string_view file = frame.file;
    if (starts_with(file, "<frozen ")) return true;
    for (const auto& dir : library_dirs) {
        if (dir.empty() || file.size() <= dir.size() || file.substr(0, dir.size()) != dir || file[dir.size()] != '/') {
            continue;
        }
        const std::string_view rest = file.substr(dir.size());
        return rest.find("/site-packages/") == std::string_view::npos &&
               rest.find("/dist-packages/") == std::string_view::npos;
    }
    return false;
}

}  // namespace

std::optional<Frame> innermost_frame_outside(const std::vector<Frame>& frames,
                                             const std::vector<std::string>& library_dirs) {
    for (auto it = frames.rbegin(); it != frames.rend(); ++it) {
        if (!is_harness_frame(*it) && !in_library(*it, library_dirs)) return *it;
    }
    return std::nullopt;
}

std::optional<Frame> innermost_frame(const std::vector<Frame>& frames) {
    if (frames.empty()) return std::nullopt;
    for (auto it = frames.rbegin(); it != frames.rend(); ++it) {
        if (!is_harness_frame(*it)) return *it;
    }
    return frames.back();
}

}  // namespace raceaudit::stress
