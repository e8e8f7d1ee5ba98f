#include "rules/rule.h"

#include "analysis/confidence.h"

namespace raceaudit {

Finding Rule::make_finding(const Project& project, AccessRef at, std::string message, const AccessRef* partner) const {
  const Access& a = project.access(at);
  const ModuleFacts& mf = project.module(at.module);
  Finding f;
  f.code = std::string(info().code);
  f.shape = std::string(info().name);
  f.path = mf.path;
  f.span = a.span;
  f.stmt = a.stmt;
  f.scope = project.qualname_of(at);
  f.target = a.text;
  const int32_t loc = project.location_of(at);
  f.location = loc >= 0 ? project.locations()[static_cast<size_t>(loc)].display : a.text;
  f.message = std::move(message);
  Assessment assessment = assess(project, at, partner);
  f.confidence = assessment.confidence;
  f.evidence = std::move(assessment.evidence);
  f.symptom = info().symptom;
  f.fix_hint = std::string(info().fix_hint);
  return f;
}

RelatedSite Rule::related_site(const Project& project, AccessRef at, std::string note) {
  return RelatedSite{project.module(at.module).path, project.access(at).span, std::move(note)};
}

}  // namespace raceaudit
