// RA007: a module global written after import time (`global USER_ID;
// USER_ID = uid`, `helpers.USER_ID = 0`).
#include "fix/fix_makers.h"
#include "rules/rule.h"
#include "rules/rule_helpers.h"

namespace raceaudit {
namespace {

class ModuleGlobalWrite final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"RA007", "module-global-written-at-run-time",
                            "module global written at run time", Symptom::Silent,
                            "pass the value explicitly, or keep it in threading.local() or a "
                            "contextvars.ContextVar; if it must be global, guard it with a module-level lock"};
    return i;
  }

  void check(const Project& p, std::vector<Finding>& out) const override {
    for_each_access(p, [&](AccessRef r, const Access& a) {
      if (a.kind != AccessKind::Write && a.kind != AccessKind::ReadModifyWrite) return;
      const int32_t loc = p.location_of(r);
      if (loc < 0 || p.locations()[static_cast<size_t>(loc)].kind != LocationKind::Global) return;
      if (p.at_import_time(r) || p.holds_any_lock(r)) return;
      if (is_lazy_init(p, r)) return;  // RA005's shape: reported there once
      const std::string& name = p.locations()[static_cast<size_t>(loc)].display;
      const char* what = a.kind == AccessKind::ReadModifyWrite ? "read-modify-write of module global `"
                                                               : "module global `";
      const char* tail = a.kind == AccessKind::ReadModifyWrite ? "`: updates can be lost"
                                                               : "` written at run time: the value leaks into every thread";
      Finding f = make_finding(p, r, std::string(what) + name + tail + " (in " + p.qualname_of(r) + ")");
      f.fix = ra007_fix(p, r);
      out.push_back(std::move(f));
    });
  }
};

}  // namespace

std::unique_ptr<Rule> make_ra007() { return std::make_unique<ModuleGlobalWrite>(); }

}  // namespace raceaudit
