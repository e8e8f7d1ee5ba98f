#include "baseline/baseline.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "util/source_text.h"

namespace raceaudit {
namespace {

constexpr int kFormatVersion = 1;

bool string_field(const nlohmann::json& e, const char* key, bool required, std::string& out, std::string& why) {
  const auto it = e.find(key);
  if (it == e.end()) {
    if (required) why = std::string("missing \"") + key + "\"";
    return !required;
  }
  if (!it->is_string()) {
    why = std::string("\"") + key + "\" must be a string";
    return false;
  }
  out = it->get<std::string>();
  return true;
}

}  // namespace

bool read_baseline(const std::string& path, Baseline& out, std::string& error) {
  std::string bytes, why;
  if (!read_file(path, bytes, why)) {
    error = "cannot read baseline " + path + ": " + why;
    return false;
  }
  nlohmann::json j = nlohmann::json::parse(bytes, nullptr, false);
  if (j.is_discarded()) {
    error = "baseline " + path + " is not valid JSON; write it with --write-baseline";
    return false;
  }
  if (!j.is_object() || !j.contains("raceaudit_baseline") || !j.contains("findings") || !j["findings"].is_array()) {
    error = "baseline " + path + " is not a raceaudit baseline (expected {\"raceaudit_baseline\": 1, \"findings\": [...]})";
    return false;
  }
  if (!j["raceaudit_baseline"].is_number_integer() || j["raceaudit_baseline"].get<int>() != kFormatVersion) {
    error = "baseline " + path + " has format version " + j["raceaudit_baseline"].dump() + "; this raceaudit reads version " +
            std::to_string(kFormatVersion);
    return false;
  }
  out.entries.clear();
  size_t index = 0;
  for (const auto& e : j["findings"]) {
    BaselineEntry b;
    const bool ok = e.is_object() && string_field(e, "fingerprint", true, b.fingerprint, why) &&
                    string_field(e, "code", false, b.code, why) && string_field(e, "filename", false, b.filename, why) &&
                    string_field(e, "scope", false, b.scope, why) && string_field(e, "target", false, b.target, why) &&
                    string_field(e, "message", false, b.message, why);
    if (!ok) {
      error = "baseline " + path + ": findings[" + std::to_string(index) + "]: " +
              (e.is_object() ? why : std::string("expected an object"));
      return false;
    }
    out.entries.push_back(std::move(b));
    ++index;
  }
  return true;
}

Baseline make_baseline(const std::vector<Finding>& findings) {
  Baseline b;
  for (const Finding& f : findings) b.entries.push_back({f.fingerprint, f.code, f.path, f.scope, f.target, f.message});
  std::stable_sort(b.entries.begin(), b.entries.end(), [](const BaselineEntry& x, const BaselineEntry& y) {
    return std::tie(x.filename, x.scope, x.code, x.target, x.fingerprint) <
           std::tie(y.filename, y.scope, y.code, y.target, y.fingerprint);
  });
  return b;
}

std::string baseline_json(const Baseline& b) {
  nlohmann::ordered_json j;
  j["raceaudit_baseline"] = kFormatVersion;
  j["findings"] = nlohmann::ordered_json::array();
  for (const auto& e : b.entries)
    j["findings"].push_back({{"fingerprint", e.fingerprint}, {"code", e.code}, {"filename", e.filename},
                             {"scope", e.scope}, {"target", e.target}, {"message", e.message}});
  return j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + '\n';
}

bool write_baseline(const std::string& path, const Baseline& b, std::string& error) {
  const std::string text = baseline_json(b);
  // Write a sibling file, then rename: an interrupted run leaves the old baseline intact.
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) {
      error = "cannot write baseline " + path + ": " + std::strerror(errno);
      std::remove(tmp.c_str());
      return false;
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    error = "cannot write baseline " + path + ": " + std::strerror(errno);
    std::remove(tmp.c_str());
    return false;
  }
  return true;
}

BaselineMatch apply_baseline(const Baseline& b, std::vector<Finding>& findings,
                             const std::function<bool(const BaselineEntry&)>& in_scope) {
  std::unordered_map<std::string, size_t> remaining;  // fingerprint -> unmatched entries
  for (const auto& e : b.entries) ++remaining[e.fingerprint];
  BaselineMatch m;
  std::vector<Finding> kept;
  kept.reserve(findings.size());
  for (Finding& f : findings) {
    auto it = remaining.find(f.fingerprint);
    if (it != remaining.end() && it->second > 0) {
      --it->second;
      ++m.matched;
    } else {
      kept.push_back(std::move(f));
    }
  }
  findings = std::move(kept);
  for (const auto& e : b.entries) {
    auto it = remaining.find(e.fingerprint);
    if (it->second == 0) continue;
    --it->second;
    if (in_scope(e)) m.stale.push_back(e);
  }
  return m;
}

}  // namespace raceaudit
