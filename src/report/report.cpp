// Format names and the dispatch to one writer per format.
#include "report/report.h"

namespace raceaudit {

bool parse_format(const std::string& name, Format& out) {
  if (name == "text") out = Format::Text;
  else if (name == "json") out = Format::Json;
  else if (name == "sarif") out = Format::Sarif;
  else if (name == "github") out = Format::Github;
  else if (name == "markdown") out = Format::Markdown;
  else return false;
  return true;
}

void write_report(Format format, std::ostream& out, const ScanResult& r, const ReportOptions& o) {
  switch (format) {
    case Format::Text: write_text(out, r, o); return;
    case Format::Json: write_json(out, r, o); return;
    case Format::Sarif: write_sarif(out, r, o); return;
    case Format::Github: write_github(out, r, o); return;
    case Format::Markdown: write_markdown(out, r, o); return;
  }
}

}  // namespace raceaudit
