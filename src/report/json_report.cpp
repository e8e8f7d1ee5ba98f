// `--format json`: an array of findings with ruff's field names (code,
// filename, location, end_location, message, noqa_row, fix (null, or
// applicability, message and edits), url (the rule's page), cell) plus
// raceaudit's own. Schema: docs/report.schema.json; docs/report-formats.md.
#include <nlohmann/json.hpp>

#include "report/report.h"
#include "rules/rule.h"

namespace raceaudit {
namespace {

nlohmann::json position(uint32_t row, uint32_t column) { return {{"row", row}, {"column", column}}; }

// ruff's shape: applicability, message, edits with content and positions.
nlohmann::json fix_json(const std::optional<Fix>& fix) {
  if (!fix) return nullptr;
  nlohmann::json edits = nlohmann::json::array();
  for (const Edit& e : fix->edits)
    edits.push_back({{"content", e.content},
                     {"location", position(e.range.line, e.range.col)},
                     {"end_location", position(e.range.end_line, e.range.end_col)}});
  return {{"applicability", to_string(fix->applicability)}, {"message", fix->message}, {"edits", edits}};
}

nlohmann::json finding_json(const Finding& f) {
  nlohmann::json j;
  j["cell"] = nullptr;
  j["code"] = f.code;
  j["filename"] = f.path;
  j["location"] = position(f.span.line, f.span.col);
  j["end_location"] = position(f.span.end_line, f.span.end_col);
  j["message"] = f.message;
  j["noqa_row"] = f.span.line;
  j["fix"] = fix_json(f.fix);
  j["url"] = rule_url(f.code);
  j["shape"] = f.shape;
  j["scope"] = f.scope;
  j["target"] = f.target;
  j["linked_target"] = f.location;
  j["confidence"] = to_string(f.confidence);
  j["symptom"] = to_string(f.symptom);
  j["fix_hint"] = f.fix_hint;
  j["evidence"] = nlohmann::json::array();
  for (const Evidence& e : f.evidence) j["evidence"].push_back({{"kind", e.kind}, {"message", e.message}});
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

// A file that does not parse, in ruff's shape for it: no code, the message
// says what is wrong. raceaudit's own fields are absent.
nlohmann::json syntax_error_json(const FileDiagnostic& d) {
  nlohmann::json j;
  j["cell"] = nullptr;
  j["code"] = nullptr;
  j["filename"] = d.path;
  j["location"] = position(d.span.line, d.span.col);
  j["end_location"] = position(d.span.line, d.span.col);
  j["message"] = d.message;
  j["noqa_row"] = nullptr;
  j["fix"] = nullptr;
  j["url"] = nullptr;
  j["kind"] = "syntax-error";
  return j;
}

}  // namespace

// Streams the array one entry at a time (memory independent of the number
// of findings); the bytes are those of dumping the whole array with indent 2.
// The findings, then the syntax errors.
void write_json(std::ostream& out, const ScanResult& r, const ReportOptions&) {
  std::vector<const FileDiagnostic*> syntax;
  for (const auto& d : r.diagnostics)
    if (d.syntax_error) syntax.push_back(&d);
  const size_t total = r.findings.size() + syntax.size();
  if (total == 0) {
    out << "[]\n";
    return;
  }
  out << '[';
  for (size_t i = 0; i < total; ++i) {
    const nlohmann::json j = i < r.findings.size() ? finding_json(r.findings[i])
                                                   : syntax_error_json(*syntax[i - r.findings.size()]);
    const std::string one = j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
    out << (i ? ",\n  " : "\n  ");
    for (char c : one) {
      out << c;
      if (c == '\n') out << "  ";
    }
  }
  out << "\n]\n";
}

}  // namespace raceaudit
