// `--format json`: an array of findings with ruff's field names (code,
// filename, location, end_location, message, noqa_row, fix, url, cell) plus
// raceaudit's own. Schema: docs/report.schema.json; docs/report-formats.md.
#include <nlohmann/json.hpp>

#include "report/report.h"

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
  j["url"] = nullptr;
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

void write_json(std::ostream& out, const ScanResult& r, const ReportOptions&) {
  nlohmann::json a = nlohmann::json::array();
  for (const Finding& f : r.findings) a.push_back(finding_json(f));
  out << a.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

}  // namespace raceaudit
