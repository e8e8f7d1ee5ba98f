#include "confirm/targets.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

namespace fs = std::filesystem;

namespace raceaudit::confirm {
namespace {

bool is_method_scope(const std::string& scope) {
    const auto dot = scope.rfind('.');
    if (dot == std::string::npos) return false;
    const std::string owner = scope.substr(0, dot);
    return owner.size() < 8 || owner.compare(owner.size() - 8, 8, "<locals>") != 0;
}

int line_count(const std::string& filename) {
    std::ifstream in(filename);
    int n = 0;
    for (std::string line; std::getline(in, line);) ++n;
    return n;
}

SiteRef site_from(const nlohmann::json& j, const std::string& scope) {
    SiteRef s;
    s.filename = j.at("filename").get<std::string>();
    s.row = j.at("location").at("row").get<int>();
    s.end_row = s.row;
    if (j.contains("end_location") && j["end_location"].is_object()) s.end_row = j["end_location"].value("row", s.row);
    s.qualname = scope;
    return s;
}

Target target_from(const nlohmann::json& f) {
    Target t;
    t.fingerprint = f.value("fingerprint", std::string());
    t.code = f.value("code", std::string());
    t.message = f.value("message", std::string());
    if (f.contains("target") && f["target"].is_string()) t.receiver = receiver_root(f["target"].get<std::string>());
    const std::string scope = f.contains("scope") && f["scope"].is_string() ? f["scope"].get<std::string>() : "";
    t.site = site_from(f, scope);
    // Without a related site the partner is the site itself: two threads in
    // the same statement (a read-modify-write).
    const bool related = f.contains("related") && f["related"].is_object();
    t.partner = related ? site_from(f["related"], "") : t.site;
    t.partner_is_check = related && f["related"].value("message", std::string()) == "checked here";
    return t;
}

std::optional<nlohmann::json> read_json(const std::string& path, std::string* error) {
    std::ifstream in(path);
    if (!in) {
        *error = "cannot read the scan file " + path;
        return std::nullopt;
    }
    try {
        return nlohmann::json::parse(in);
    } catch (const nlohmann::json::parse_error& e) {
        *error = fmt::format("{} is not JSON (byte {}): expected the output of `raceaudit scan --format json`", path,
                             e.byte);
        return std::nullopt;
    }
}

std::string check_site(const SiteRef& s, const std::string& option) {
    if (!fs::is_regular_file(s.filename)) return fmt::format("{} {}:{}: no such file", option, s.filename, s.row);
    if (s.row < 1 || s.row > line_count(s.filename)) {
        return fmt::format("{} {}:{}: site not found, the file has {} lines", option, s.filename, s.row,
                           line_count(s.filename));
    }
    if (source_line(s.filename, s.row).empty()) {
        return fmt::format("{} {}:{}: site not found, the line is empty", option, s.filename, s.row);
    }
    return {};
}

std::optional<SiteRef> parse_site(const std::string& text, const std::string& option, std::string* error) {
    const auto colon = text.rfind(':');
    SiteRef s;
    if (colon == std::string::npos || colon == 0 || colon + 1 == text.size() ||
        !std::all_of(text.begin() + colon + 1, text.end(), [](unsigned char c) { return std::isdigit(c); })) {
        *error = option + " " + text + ": expected FILE:LINE";
        return std::nullopt;
    }
    s.filename = text.substr(0, colon);
    s.row = std::stoi(text.substr(colon + 1));
    s.end_row = s.row;
    if (*error = check_site(s, option); !error->empty()) return std::nullopt;
    return s;
}

}  // namespace

std::string receiver_root(const std::string& target) {
    std::size_t end = 0;
    while (end < target.size() && (std::isalnum(static_cast<unsigned char>(target[end])) || target[end] == '_')) ++end;
    return target.substr(0, end);
}

std::string source_line(const std::string& filename, int row) {
    std::ifstream in(filename);
    std::string line;
    for (int i = 0; i < row && std::getline(in, line); ++i) {
    }
    if (!in) return {};
    const auto begin = line.find_first_not_of(" \t\r");
    if (begin == std::string::npos) return {};
    return line.substr(begin, line.find_last_not_of(" \t\r") - begin + 1);
}

nlohmann::json site_spec(const SiteRef& site, const std::string& receiver) {
    nlohmann::json j = {{"file", fs::absolute(site.filename).lexically_normal().string()},
                        {"line", site.row},
                        {"end_line", site.end_row}};
    if (!receiver.empty()) j["receiver"] = receiver;
    if (!site.qualname.empty()) j["method"] = is_method_scope(site.qualname);
    return j;
}

nlohmann::json pair_spec(const Target& t) {
    return {{"name", t.fingerprint ? *t.fingerprint : "site"},
            {"site", site_spec(t.site, t.receiver)},
            {"partner", site_spec(t.partner, t.receiver)},
            {"hold", t.partner_is_check ? "site" : "both"}};
}

TargetsResult targets_from_scan(const std::string& path, const std::vector<std::string>& fingerprints) {
    TargetsResult out;
    const auto doc = read_json(path, &out.error);
    if (!doc) return out;
    const nlohmann::json* list = &*doc;
    if (doc->is_object() && doc->contains("findings")) list = &(*doc)["findings"];
    if (!list->is_array()) {
        out.error = path + ": expected a list of findings (`raceaudit scan --format json`)";
        return out;
    }
    try {
        for (const auto& f : *list) {
            const std::string fp = f.value("fingerprint", std::string());
            if (fingerprints.empty() || std::find(fingerprints.begin(), fingerprints.end(), fp) != fingerprints.end()) {
                out.targets.push_back(target_from(f));
            }
        }
    } catch (const nlohmann::json::exception& e) {
        out.error = fmt::format("{}: a finding lacks a field of `raceaudit scan --format json` ({})", path, e.what());
        return out;
    }
    for (const auto& fp : fingerprints) {
        if (std::none_of(out.targets.begin(), out.targets.end(), [&](const Target& t) { return t.fingerprint == fp; })) {
            out.error = fmt::format("--finding {}: no finding with this fingerprint in {}", fp, path);
            return out;
        }
    }
    for (const auto& t : out.targets) {
        for (const auto* s : {&t.site, &t.partner}) {
            if (!fs::is_regular_file(s->filename)) {
                out.error = fmt::format("{}: finding {} names {}, not found from this directory (run confirm where "
                                        "the scan ran)",
                                        path, t.fingerprint.value_or(""), s->filename);
                return out;
            }
        }
    }
    return out;
}

TargetsResult targets_from_sites(const std::string& site, const std::string& partner) {
    TargetsResult out;
    Target t;
    auto a = parse_site(site, "--site", &out.error);
    if (!a) return out;
    auto b = parse_site(partner, "--partner", &out.error);
    if (!b) return out;
    t.site = *a;
    t.partner = *b;
    out.targets.push_back(t);
    return out;
}

}  // namespace raceaudit::confirm
