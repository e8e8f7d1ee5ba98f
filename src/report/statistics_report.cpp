// `--statistics`: how many findings each rule has, by confidence. A table
// (ruff style), or with `--format json` an array of {code, name, count, high,
// medium, low}.
#include <algorithm>
#include <iomanip>
#include <map>

#include <nlohmann/json.hpp>

#include "report/report.h"
#include "report/report_common.h"

namespace raceaudit {

void write_statistics(std::ostream& out, const ScanResult& r, const ReportOptions& o, bool as_json) {
  std::map<std::string, report::ConfidenceCounts> by_code;
  for (const Finding& f : r.findings) by_code[f.code].add(f.confidence);
  auto name_of = [](const std::string& code) {
    const RuleInfo* i = report::rule_info(code);
    return i ? std::string(i->name) : std::string();
  };

  if (as_json) {
    nlohmann::ordered_json a = nlohmann::ordered_json::array();
    for (const auto& [code, c] : by_code)
      a.push_back({{"code", code}, {"name", name_of(code)}, {"count", c.total()},
                   {"high", c.high}, {"medium", c.medium}, {"low", c.low}});
    out << a.dump(2) << '\n';
    return;
  }

  size_t name_width = 4;
  for (const auto& [code, c] : by_code) name_width = std::max(name_width, name_of(code).size());
  const char* red = o.color ? "\x1b[31m" : "";
  const char* reset = o.color ? "\x1b[0m" : "";
  auto row = [&](const std::string& count, const std::string& code, const std::string& name, const std::string& high,
                 const std::string& medium, const std::string& low, const char* code_style) {
    out << std::setw(5) << count << "  " << code_style << std::left << std::setw(5) << code << reset << "  "
        << std::setw(static_cast<int>(name_width)) << name << std::right << "  " << std::setw(4) << high << "  "
        << std::setw(6) << medium << "  " << std::setw(3) << low << '\n';
  };
  if (by_code.empty()) {
    if (!o.quiet) out << report::summary_sentence(r, o) << '\n';
    return;
  }
  row("count", "code", "rule", "high", "medium", "low", "");
  report::ConfidenceCounts total;
  for (const auto& [code, c] : by_code) {
    row(std::to_string(c.total()), code, name_of(code), std::to_string(c.high), std::to_string(c.medium),
        std::to_string(c.low), red);
    total.high += c.high;
    total.medium += c.medium;
    total.low += c.low;
  }
  row(std::to_string(total.total()), "total", "", std::to_string(total.high), std::to_string(total.medium),
      std::to_string(total.low), "");
}

}  // namespace raceaudit
