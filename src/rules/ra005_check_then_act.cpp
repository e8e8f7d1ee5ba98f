// RA005: a condition on a shared location (membership, `is None`, hasattr,
// os.path.exists) followed in the guarded branch by a write to it; and a
// delete by a key taken from an earlier snapshot of the container.
#include <algorithm>
#include <set>

#include "fix/fix_makers.h"
#include "rules/rule.h"
#include "rules/rule_helpers.h"

namespace raceaudit {
namespace {

bool is_write_act(const Access& a) {
  if (a.kind == AccessKind::Write) return true;
  // setdefault() is the one-step repair: it never replaces a value.
  return a.kind == AccessKind::Mutate && changes_membership(a.op) && a.op != Op::SetDefault;
}

bool is_existence_check(const Access& c) {
  switch (c.check) {
    case CheckKind::In: case CheckKind::Get: case CheckKind::HasAttr: case CheckKind::IsNone: case CheckKind::Exists:
    case CheckKind::Item: case CheckKind::Truth: case CheckKind::Snapshot:
      return true;
    default:
      return false;
  }
}

// `with lock: if self._busy: return; self._busy = True` ... later, outside
// the lock, `self._busy = False`: the claim was made in the check's critical
// section, so the later write is its release, not an act on a stale check.
bool claimed_with_the_check(const Project& p, AccessRef check, AccessRef act) {
  const Access& c = p.access(check);
  const Access& a = p.access(act);
  if (c.section == 0) return false;
  const auto& accesses = p.module(check.module).accesses;
  // The claim follows the check closely; a bound keeps hostile input linear.
  const uint32_t end = std::min<uint32_t>({act.access, check.access + 256, static_cast<uint32_t>(accesses.size())});
  for (uint32_t i = check.access + 1; i < end; ++i) {
    const Access& w = accesses[i];
    if (w.scope == c.scope && w.place == a.place && w.section == c.section && is_write_act(w)) return true;
  }
  return false;
}

class CheckThenAct final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"RA005", "check-then-act", "check-then-act on existence", Symptom::Silent,
                            "make check and act one step: dict.setdefault(), dict.pop(k, None), "
                            "os.makedirs(exist_ok=True), or hold a lock around both"};
    return i;
  }

  void check(const Project& p, std::vector<Finding>& out) const override {
    std::set<std::pair<uint32_t, uint32_t>> reported;
    for (uint32_t m = 0; m < p.modules().size(); ++m) {
      for (const GuardedAct& g : p.module(m).guarded) {
        const AccessRef check{m, g.check}, act{m, g.act};
        const Access& c = p.access(check);
        const Access& a = p.access(act);
        if (!is_existence_check(c) || !is_write_act(a)) continue;
        // A snapshot's keys go stale only for acts that fail on a missing key.
        const bool snapshot = c.check == CheckKind::Snapshot;
        if (snapshot && !(a.kind == AccessKind::Mutate && (a.op == Op::DelItem || a.op == Op::Remove))) continue;
        // A test followed by a pop is RA002's shape.
        if (p.location_of(act) < 0 || in_private_phase(p, act) || p.in_one_critical_section(check, act)) continue;
        if (rechecked_under_lock(p, m, g.act)) continue;  // double-checked locking
        if (claimed_with_the_check(p, check, act)) continue;
        if (!reported.insert({m, g.act}).second) continue;
        const std::string what = p.place(act).root == Root::Path ? "path `" + a.text + "`" : "`" + a.text + "`";
        Finding f = make_finding(p, act, snapshot ? "delete from " + what + " in " + p.qualname_of(act) +
                                                        " by a key from the copy taken on line " +
                                                        std::to_string(c.span.line) +
                                                        ": another thread can delete it first (KeyError/ValueError)"
                                                  : "check-then-act on " + what + " in " + p.qualname_of(act) +
                                                        ": another thread can change it between the check (line " +
                                                        std::to_string(c.span.line) + ") and this write",
                                 &check);
        f.related = related_site(p, check, snapshot ? "copied here" : "checked here");
        f.fix = ra005_fix(p, act);
        if (!f.fix) f.fix = lock_fix_between(p, check, act, p.accesses_of(p.location_of(act)), "the check and the act");
        // Lazy init, and a memo filled with data each thread builds alike
        // (`rules = [...]; cache[k] = rules`): racing fills store equal values.
        const bool memo = a.kind == AccessKind::Mutate && a.value == ValueKind::BuiltHere;
        if ((is_lazy_init(p, act) || memo) && f.confidence != Confidence::High) f.confidence = Confidence::Low;
        out.push_back(std::move(f));
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_ra005() { return std::make_unique<CheckThenAct>(); }

}  // namespace raceaudit
