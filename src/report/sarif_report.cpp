// `--format sarif`: SARIF 2.1.0 with one run, rule metadata from the embedded
// rule pages, relative artifact URIs, related locations linked from the
// message, partial fingerprints and fixes, as GitHub code scanning expects.
#include <cctype>
#include <sstream>

#include <nlohmann/json.hpp>

#include "report/report.h"
#include "discover/exclude.h"
#include "report/report_common.h"
#include "rules/rule_docs.h"

namespace raceaudit {
namespace {

using ojson = nlohmann::ordered_json;

const char* default_level(Symptom s) { return s == Symptom::Crash ? "error" : "warning"; }

// Low-confidence findings are notes; the others take their rule's level.
const char* result_level(const Finding& f) {
  return f.confidence == Confidence::Low ? "note" : default_level(f.symptom);
}

// A URI reference for a path: relative to the project root (%SRCROOT%) when
// the file is below it, however the path was given; else a file:// URI. Bytes
// outside RFC 3986's unreserved, sub-delims, ':', '@' and '/' are %-encoded.
std::string path_uri(const std::string& path, const std::string& root) {
  static const std::string keep = "-._~!$&'()*+,;=:@/";
  const std::string p = project_relative(path, root);
  std::string out = p.empty() || p[0] != '/' ? "" : "file://";
  for (unsigned char c : p) {
    if (std::isalnum(c) || keep.find(static_cast<char>(c)) != std::string::npos) {
      out += static_cast<char>(c);
    } else {
      static const char hex[] = "0123456789ABCDEF";
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

ojson artifact(const std::string& path, const std::string& root) {
  ojson a{{"uri", path_uri(path, root)}};
  if (a["uri"].get<std::string>().rfind("file://", 0) != 0) a["uriBaseId"] = "%SRCROOT%";
  return a;
}

ojson physical(const std::string& path, const Span& s, const std::string& root) {
  ojson region{{"startLine", s.line}};
  if (s.col) region["startColumn"] = s.col;
  if (s.end_line) region["endLine"] = s.end_line;
  if (s.end_col) region["endColumn"] = s.end_col;
  return {{"artifactLocation", artifact(path, root)}, {"region", region}};
}

// Square brackets that are not an embedded link are escaped (SARIF 3.11.6).
std::string escape_brackets(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '[' || c == ']') out += '\\';
    out += c;
  }
  return out;
}

// Joins hard-wrapped lines (plain-text viewers wrap by themselves): a line
// continues the previous one unless it is blank, starts a list item, a table
// row or a heading, or is inside a code block.
std::string unwrap(const std::string& text) {
  std::string out;
  bool fenced = false, joinable = false;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    const size_t indent = line.find_first_not_of(' ');
    const std::string body = indent == std::string::npos ? "" : line.substr(indent);
    const bool fence = body.rfind("```", 0) == 0;
    if (fence || fenced || body.empty() || body.rfind("- ", 0) == 0 || body.rfind("* ", 0) == 0 ||
        body[0] == '|' || body[0] == '#' || !joinable) {
      if (!out.empty()) out += '\n';
      out += fenced || fence ? line : body;
      if (fence) fenced = !fenced;
      joinable = !fence && !fenced && !body.empty() && body[0] != '|' && body[0] != '#';
    } else {
      out += ' ' + body;
    }
  }
  return out;
}

ojson rule_json(const RuleInfo& i) {
  ojson r;
  r["id"] = i.code;
  r["name"] = i.name;
  r["shortDescription"] = {{"text", i.shape}};
  const std::string_view page = rule_doc(i.code);
  std::string full = report::doc_section(page, "What it does");
  if (full.empty()) full = std::string(i.shape);
  r["fullDescription"] = {{"text", unwrap(full)}};
  if (!page.empty()) r["help"] = {{"text", report::markdown_to_text(page)}, {"markdown", page}};
  else r["help"] = {{"text", i.fix_hint}};
  r["helpUri"] = rule_url(i.code);
  r["defaultConfiguration"] = {{"level", default_level(i.symptom)}};
  // precision: how often a reported finding is a real race (GitHub sorts by
  // it). Per finding that is its confidence; for a rule as a whole, medium
  // (what the default --min-confidence shows).
  r["properties"] = {{"tags", {"concurrency", "thread-safety", to_string(i.symptom)}},
                     {"precision", "medium"},
                     {"problem.severity", default_level(i.symptom)}};
  return r;
}

// A fix as SARIF has it: one artifact change, a replacement per edit (an
// empty deleted region inserts).
ojson fix_json(const Finding& f, const std::string& root) {
  ojson replacements = ojson::array();
  for (const Edit& e : f.fix->edits) {
    const ojson region{{"startLine", e.range.line}, {"startColumn", e.range.col},
                       {"endLine", e.range.end_line}, {"endColumn", e.range.end_col}};
    replacements.push_back({{"deletedRegion", region}, {"insertedContent", {{"text", e.content}}}});
  }
  ojson change{{"artifactLocation", artifact(f.path, root)}, {"replacements", replacements}};
  return {{"description", {{"text", f.fix->message}}},
          {"artifactChanges", ojson::array({change})},
          {"properties", {{"applicability", to_string(f.fix->applicability)}}}};
}

ojson result_json(const Finding& f, size_t rule_index, const std::string& root) {
  ojson r;
  r["ruleId"] = f.code;
  r["ruleIndex"] = rule_index;
  r["level"] = result_level(f);
  std::string text = escape_brackets(f.message);
  if (f.related) text += " ([" + escape_brackets(f.related->note) + "](1))";
  r["message"] = {{"text", text}};
  ojson loc{{"physicalLocation", physical(f.path, f.span, root)}};
  if (!f.scope.empty()) loc["logicalLocations"] = ojson::array({{{"fullyQualifiedName", f.scope}}});
  r["locations"] = ojson::array({loc});
  if (f.related) {
    ojson rel{{"id", 1}, {"physicalLocation", physical(f.related->path, f.related->span, root)}};
    rel["message"] = {{"text", f.related->note}};
    r["relatedLocations"] = ojson::array({rel});
  }
  if (f.fix) r["fixes"] = ojson::array({fix_json(f, root)});
  r["partialFingerprints"] = {{"raceaudit/v1", f.fingerprint}};
  r["properties"] = {{"confidence", to_string(f.confidence)}, {"symptom", to_string(f.symptom)},
                     {"scope", f.scope},  {"target", f.target},
                     {"fixHint", f.fix_hint}};
  ojson evidence = ojson::array();
  for (const Evidence& e : f.evidence) evidence.push_back({{"kind", e.kind}, {"message", e.message}});
  r["properties"]["evidence"] = std::move(evidence);
  if (f.confirmed) r["properties"]["confirmed"] = true;  // observed at run time (scan --evidence)
  return r;
}

// A syntax error is an `error` notification with the descriptor id
// `syntax-error`; other diagnostics (unreadable files, ...) are warnings.
ojson notification_json(const FileDiagnostic& d, const std::string& root) {
  ojson n{{"level", d.syntax_error ? "error" : "warning"}, {"message", {{"text", d.message}}}};
  if (d.syntax_error) n["descriptor"] = {{"id", "syntax-error"}};
  ojson pl{{"artifactLocation", artifact(d.path, root)}};
  if (d.span.line) {
    ojson region{{"startLine", d.span.line}};
    if (d.span.col) region["startColumn"] = d.span.col;
    pl["region"] = region;
  }
  n["locations"] = ojson::array({{{"physicalLocation", pl}}});
  return n;
}

}  // namespace

void write_sarif(std::ostream& out, const ScanResult& r, const ReportOptions& o) {
  ojson rules = ojson::array();
  for (const auto& rule : all_rules()) rules.push_back(rule_json(rule->info()));
  auto rule_index = [](const std::string& code) {
    const auto& all = all_rules();
    for (size_t i = 0; i < all.size(); ++i)
      if (all[i]->info().code == code) return i;
    return size_t{0};
  };

  ojson driver{{"name", "raceaudit"}};
  if (!o.tool_version.empty()) {
    driver["version"] = o.tool_version;
    driver["semanticVersion"] = o.tool_version;
  }
  driver["rules"] = rules;
  ojson invocation{{"executionSuccessful", true}};
  if (!r.diagnostics.empty()) {
    ojson notes = ojson::array();
    for (const auto& d : r.diagnostics) notes.push_back(notification_json(d, o.project_root));
    invocation["toolExecutionNotifications"] = notes;
  }
  ojson run{{"tool", {{"driver", driver}}}};
  run["invocations"] = ojson::array({invocation});
  run["columnKind"] = "unicodeCodePoints";
  // The results are streamed, one at a time, where this placeholder is.
  static const std::string kPlaceholder = "raceaudit-results-placeholder";
  run["results"] = kPlaceholder;
  ojson log{{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"}, {"version", "2.1.0"}};
  log["runs"] = ojson::array({run});
  const std::string doc = log.dump(2, ' ', false, ojson::error_handler_t::replace);
  const std::string marker = "\"" + kPlaceholder + "\"";
  const size_t at = doc.rfind(marker);
  out << doc.substr(0, at);
  if (r.findings.empty()) {
    out << "[]";
  } else {
    // The results array sits at depth 4 (log, runs, run, results): 8 spaces per element.
    const std::string indent = "\n        ";
    out << '[';
    for (size_t i = 0; i < r.findings.size(); ++i) {
      const Finding& f = r.findings[i];
      const std::string one = result_json(f, rule_index(f.code), o.project_root).dump(2, ' ', false, ojson::error_handler_t::replace);
      out << (i ? "," : "") << indent;
      for (char c : one) {
        out << c;
        if (c == '\n') out << "        ";
      }
    }
    out << "\n      ]";
  }
  out << doc.substr(at + marker.size()) << '\n';
}

}  // namespace raceaudit
