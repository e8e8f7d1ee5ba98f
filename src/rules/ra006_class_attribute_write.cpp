// RA006: a class attribute written after import time (`FakeOs.use_original =
// True`, `type(self).count += 1`, `cls.registry = {}` in a classmethod).
#include <unordered_map>

#include "rules/rule.h"
#include "rules/rule_helpers.h"

namespace raceaudit {
namespace {

class ClassAttributeWrite final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"RA006", "class-attribute-written-at-run-time",
                            "class attribute written at run time", Symptom::Silent,
                            "keep per-use state on the instance or in threading.local(), or guard the "
                            "class attribute with a class-level lock"};
    return i;
  }

  void check(const Project& p, std::vector<Finding>& out) const override {
    // Run-time writes per location, to recognise True/False toggles.
    std::unordered_map<int32_t, std::vector<AccessRef>> writes;
    for_each_access(p, [&](AccessRef r, const Access& a) {
      if (a.kind != AccessKind::Write && a.kind != AccessKind::ReadModifyWrite) return;
      const int32_t loc = p.location_of(r);
      if (loc < 0 || p.locations()[static_cast<size_t>(loc)].kind != LocationKind::ClassAttr) return;
      if (p.at_import_time(r) || p.holds_any_lock(r)) return;
      if (is_lazy_init(p, r)) return;  // RA005's shape: reported there once
      writes[loc].push_back(r);
    });
    for (auto& [loc, sites] : writes) {
      const std::string& name = p.locations()[static_cast<size_t>(loc)].display;
      const AccessRef* first_true = nullptr;
      const AccessRef* first_false = nullptr;
      for (const auto& r : sites) {
        if (p.access(r).value == ValueKind::True && !first_true) first_true = &r;
        if (p.access(r).value == ValueKind::False && !first_false) first_false = &r;
      }
      for (const auto& r : sites) {
        const Access& a = p.access(r);
        const bool toggle = first_true && first_false && (a.value == ValueKind::True || a.value == ValueKind::False);
        Finding f;
        if (toggle) {
          const AccessRef other = a.value == ValueKind::True ? *first_false : *first_true;
          const char* now = a.value == ValueKind::True ? "True" : "False";
          const char* then = a.value == ValueKind::True ? "False" : "True";
          f = make_finding(p, r, std::string("class attribute `") + name + "` toggled at run time in " +
                                     p.qualname_of(r) + ": set to " + now + " here and to " + then + " at " +
                                     site(p, other) + "; every thread sees the toggle");
          f.related = related_site(p, other, std::string("set to ") + then + " here");
        } else if (a.kind == AccessKind::ReadModifyWrite) {
          f = make_finding(p, r, "read-modify-write of class attribute `" + name + "` at run time in " +
                                     p.qualname_of(r) + ": shared by all instances and threads; updates can be lost");
        } else {
          f = make_finding(p, r, "class attribute `" + name + "` written at run time in " + p.qualname_of(r) +
                                     ": the change is seen by every thread");
        }
        out.push_back(std::move(f));
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_ra006() { return std::make_unique<ClassAttributeWrite>(); }

}  // namespace raceaudit
