#include "evidence/runtime_evidence.h"

#include <algorithm>
#include <filesystem>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "util/json_file.h"

namespace raceaudit {
namespace {

using json = nlohmann::json;
constexpr int kFormatVersion = 1;
constexpr const char* kHint = "write it with `raceaudit confirm --format json --output FILE`";

// One field of an entry; `why` says what is wrong with it.
bool text_field(const json& e, const char* key, bool nullable, std::string& out, std::string& why) {
  const auto it = e.find(key);
  if (it != e.end() && it->is_string()) {
    out = it->get<std::string>();
    return true;
  }
  if (nullable && (it == e.end() || it->is_null())) return true;
  why = std::string("\"") + key + "\" must be a string" + (nullable ? " or null" : "");
  return false;
}

bool count_field(const json& e, const char* key, uint64_t& out, std::string& why) {
  const auto it = e.find(key);
  if (it == e.end()) return true;
  if (!it->is_number_unsigned()) {
    why = std::string("\"") + key + "\" must be a count (an integer of at least 0)";
    return false;
  }
  out = it->get<uint64_t>();
  return true;
}

// {"filename": ..., "row": N} into a file and a 1-based line.
bool site_field(const json& e, const char* key, std::string& file, uint32_t& row, std::string& why) {
  const auto it = e.find(key);
  const bool ok = it != e.end() && it->is_object() && it->contains("filename") && (*it)["filename"].is_string() &&
                  it->contains("row") && (*it)["row"].is_number_unsigned() && (*it)["row"].get<uint64_t>() >= 1 &&
                  (*it)["row"].get<uint64_t>() <= UINT32_MAX;
  if (!ok) {
    why = std::string("\"") + key + "\" must be {\"filename\": \"...\", \"row\": N} with N >= 1";
    return false;
  }
  file = (*it)["filename"].get<std::string>();
  row = static_cast<uint32_t>((*it)["row"].get<uint64_t>());
  return true;
}

bool status_field(const json& e, Confirmation::Status& out, std::string& why) {
  static const std::map<std::string, Confirmation::Status> names = {
      {"confirmed", Confirmation::Status::Confirmed},
      {"reached", Confirmation::Status::Reached},
      {"not-reached", Confirmation::Status::NotReached}};
  const auto it = e.find("status");
  const auto name = it != e.end() && it->is_string() ? names.find(it->get<std::string>()) : names.end();
  if (name == names.end()) {
    why = "\"status\" must be \"confirmed\", \"reached\" or \"not-reached\"";
    return false;
  }
  out = name->second;
  return true;
}

bool read_entry(const json& e, Confirmation& c, std::string& why) {
  if (!e.is_object()) {
    why = "expected an object";
    return false;
  }
  return text_field(e, "fingerprint", true, c.fingerprint, why) && text_field(e, "code", true, c.code, why) &&
         site_field(e, "site", c.site_file, c.site_row, why) &&
         site_field(e, "partner", c.partner_file, c.partner_row, why) && status_field(e, c.status, why) &&
         text_field(e, "interpreter", true, c.interpreter, why) && count_field(e, "trials", c.trials, why) &&
         count_field(e, "reached_threads", c.reached_threads, why) && count_field(e, "overlaps", c.overlaps, why) &&
         count_field(e, "manifested", c.manifested, why) && text_field(e, "failure", true, c.failure, why);
}

// Paths as the scan and the confirm run wrote them may differ in spelling
// (`./pkg/a.py`, an absolute path): compare them resolved.
std::string resolved(const std::string& path) {
  std::error_code ec;
  const auto p = std::filesystem::weakly_canonical(path, ec);
  return ec ? path : p.string();
}

bool about(const Confirmation& c, const Finding& f) {
  if (!c.fingerprint.empty()) return c.fingerprint == f.fingerprint;
  if (!c.code.empty() && c.code != f.code) return false;
  if (c.site_row != f.span.line || resolved(c.site_file) != resolved(f.path)) return false;
  const uint32_t partner_row = f.related ? f.related->span.line : f.span.line;
  return c.partner_row == partner_row;
}

std::string interpreter_name(const Confirmation& c) { return c.interpreter.empty() ? "the interpreter" : c.interpreter; }

Evidence evidence_of(const Confirmation& c) {
  switch (c.status) {
    case Confirmation::Status::Confirmed: {
      std::string m = fmt::format(
          "race observed at run time (raceaudit confirm): while one thread was held at line {}, another reached "
          "line {} on the same object, in {} of {} trials under {}",
          c.site_row, c.partner_row, c.overlaps, c.trials, interpreter_name(c));
      if (c.manifested) m += fmt::format("; it failed in {} of them", c.manifested);
      if (!c.failure.empty()) m += ": " + c.failure;
      return {"confirmed", m};
    }
    case Confirmation::Status::Reached:
      return {"runtime-reached", fmt::format("reached at run time by {} threads in {} trials under {}, with no "
                                             "overlap observed (raceaudit confirm)",
                                             c.reached_threads, c.trials, interpreter_name(c))};
    case Confirmation::Status::NotReached:
      break;
  }
  return {"runtime-not-reached",
          fmt::format("the confirm workload never reached this site under {} (raceaudit confirm)", interpreter_name(c))};
}

}  // namespace

bool read_confirmations(const std::string& path, std::vector<Confirmation>& out, std::string& error) {
  json j;
  if (!read_json_file(path, "evidence file", kHint, j, error)) return false;
  if (!j.is_object() || !j.contains("findings") || !j["findings"].is_array() || !j.contains("version")) {
    error = "evidence file " + path + " is not a raceaudit confirm report (expected {\"version\": 1, " +
            "\"tool\": \"raceaudit confirm\", \"findings\": [...]}); " + kHint;
    return false;
  }
  if (!j["version"].is_number_integer() || j["version"].get<int64_t>() != kFormatVersion) {
    error = "evidence file " + path + " has a format version this raceaudit does not read (it reads version " +
            std::to_string(kFormatVersion) + ")";
    return false;
  }
  out.clear();
  std::string why;
  for (size_t i = 0; i < j["findings"].size(); ++i) {
    Confirmation c;
    if (!read_entry(j["findings"][i], c, why)) {
      error = "evidence file " + path + ": findings[" + std::to_string(i) + "]: " + why;
      return false;
    }
    out.push_back(std::move(c));
  }
  return true;
}

EvidenceMatch apply_confirmations(const std::vector<Confirmation>& entries, std::vector<Finding>& findings) {
  EvidenceMatch m;
  for (const Confirmation& c : entries) {
    const auto f = std::find_if(findings.begin(), findings.end(), [&](const Finding& x) { return about(c, x); });
    if (f == findings.end()) {
      ++m.unmatched;
      continue;
    }
    f->evidence.push_back(evidence_of(c));
    f->confirmed = f->confirmed || c.status == Confirmation::Status::Confirmed;
  }
  std::stable_partition(findings.begin(), findings.end(), [](const Finding& f) { return f.confirmed; });
  m.confirmed = std::count_if(findings.begin(), findings.end(), [](const Finding& f) { return f.confirmed; });
  return m;
}

}  // namespace raceaudit
