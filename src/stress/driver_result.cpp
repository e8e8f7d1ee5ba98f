#include "stress/driver_result.h"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace raceaudit::stress {

namespace {

std::optional<DriverResult> parse_unchecked(std::string_view json_text) {
    const auto json = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
    if (!json.is_object() || !json.contains("status") || !json["status"].is_string()) return std::nullopt;
    DriverResult r;
    const std::string status = json["status"].get<std::string>();
    if (status == "ok") {
        r.status = DriverResult::Status::ok;
    } else if (status == "exception") {
        r.status = DriverResult::Status::exception;
    } else if (status == "violations") {
        r.status = DriverResult::Status::violations;
    } else if (status == "load_error") {
        r.status = DriverResult::Status::load_error;
    } else {
        return std::nullopt;
    }
    r.rounds = json.value("rounds", 0);
    r.threads = json.value("threads", 0);
    r.exception_count = json.value("exception_count", std::size_t{0});
    r.violation_count = json.value("violation_count", std::size_t{0});
    r.message = json.value("message", std::string());
    if (auto it = json.find("violations"); it != json.end() && it->is_array()) {
        for (const auto& v : *it) r.violations.push_back(v.is_string() ? v.get<std::string>() : v.dump());
    }
    if (auto it = json.find("exception"); it != json.end() && it->is_object()) {
        DriverException e;
        e.type = it->value("type", std::string("<unknown>"));
        e.message = it->value("message", std::string());
        e.phase = it->value("phase", std::string());
        e.traceback = it->value("traceback", std::string());
        if (it->contains("file") && it->contains("line")) {
            Frame f;
            f.file = it->value("file", std::string());
            f.line = it->value("line", 0);
            f.function = it->value("function", std::string());
            e.where = f;
        }
        r.exception = std::move(e);
    }
    if (r.status == DriverResult::Status::exception && !r.exception) return std::nullopt;
    return r;
}

}  // namespace

std::optional<DriverResult> parse_driver_result(std::string_view json_text) {
    try {
        return parse_unchecked(json_text);
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;  // a field of the wrong type
    }
}

std::optional<DriverResult> read_driver_result(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return parse_driver_result(buffer.str());
}

}  // namespace raceaudit::stress
