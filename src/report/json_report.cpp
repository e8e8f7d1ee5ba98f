// `--format json`: an array of findings with ruff's field names (code,
// filename, location, end_location, message, noqa_row, fix, url (the rule's
// page), cell) plus
// raceaudit's own. Schema: docs/report.schema.json; docs/report-formats.md.
#include <nlohmann/json.hpp>

#include "report/report.h"
#include "rules/rule.h"

namespace raceaudit {
namespace {

nlohmann::json position(uint32_t row, uint32_t column) { return {{"row", row}, {"column", column}}; }

nlohmann::json finding_json(const Finding& f) {
  nlohmann::json j;
  j["cell"] = nullptr;
  j["code"] = f.code;
  j["filename"] = f.path;
  j["location"] = position(f.span.line, f.span.col);
  j["end_location"] = position(f.span.end_line, f.span.end_col);
  j["message"] = f.message;
  j["noqa_row"] = f.span.line;
  j["fix"] = nullptr;
  j["url"] = rule_url(f.code);
  j["shape"] = f.shape;
  j["scope"] = f.scope;
  j["target"] = f.target;
  j["linked_target"] = f.location;
  j["confidence"] = to_string(f.confidence);
  j["symptom"] = to_string(f.symptom);
  j["fix_hint"] = f.fix_hint;
  if (f.related) {
    j["related"] = {{"filename", f.related->path},
                    {"location", position(f.related->span.line, f.related->span.col)},
                    {"end_location", position(f.related->span.end_line, f.related->span.end_col)},
                    {"message", f.related->note}};
  } else {
    j["related"] = nullptr;
  }
  j["fingerprint"] = f.fingerprint;
  return j;
}

}  // namespace

// Streams the array one finding at a time (memory independent of the number
// of findings); the bytes are those of dumping the whole array with indent 2.
void write_json(std::ostream& out, const ScanResult& r, const ReportOptions&) {
  if (r.findings.empty()) {
    out << "[]\n";
    return;
  }
  out << '[';
  for (size_t i = 0; i < r.findings.size(); ++i) {
    const std::string one = finding_json(r.findings[i]).dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
    out << (i ? ",\n  " : "\n  ");
    for (char c : one) {
      out << c;
      if (c == '\n') out << "  ";
    }
  }
  out << "\n]\n";
}

}  // namespace raceaudit
