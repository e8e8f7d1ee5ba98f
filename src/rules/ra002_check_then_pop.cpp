// RA002: an emptiness check of a shared container followed by a pop, heappop
// or index; and any heapq mutation of a shared list outside a lock.
#include <set>

#include "rules/rule.h"
#include "rules/rule_helpers.h"

namespace raceaudit {
namespace {

bool is_pop(const Access& a) {
  return (a.kind == AccessKind::Mutate && removes_element(a.op)) || (a.kind == AccessKind::Read && reads_element(a.op));
}

bool is_emptiness_check(const Access& c) { return c.check == CheckKind::Truth || c.check == CheckKind::Len; }

// Pops follow any existence test; a plain index only an emptiness test
// (`if k in d: return d[k]` is a lookup, not a take).
bool pairs(const Access& c, const Access& a) {
  if (a.kind == AccessKind::Mutate)
    return is_emptiness_check(c) || c.check == CheckKind::In || c.check == CheckKind::Get || c.check == CheckKind::Item;
  return is_emptiness_check(c);
}

class CheckThenPop final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"RA002", "check-then-pop", "check-then-pop / heap TOCTOU on a shared container",
                            Symptom::Crash,
                            "take the item under a lock, or pop inside try/except IndexError, or use queue.Queue"};
    return i;
  }

  void check(const Project& p, std::vector<Finding>& out) const override {
    std::set<std::pair<uint32_t, uint32_t>> reported;
    for (uint32_t m = 0; m < p.modules().size(); ++m) {
      for (const GuardedAct& g : p.module(m).guarded) {
        const AccessRef check{m, g.check}, act{m, g.act};
        const Access& c = p.access(check);
        const Access& a = p.access(act);
        if (!is_pop(a) || !pairs(c, a)) continue;
        if (a.handled & HandledLookup) continue;  // the code catches the IndexError/KeyError
        if (p.location_of(act) < 0 || in_private_phase(p, act) || p.share_a_lock(check, act)) continue;
        if (rechecked_under_lock(p, m, g.act)) continue;  // double-checked locking
        if (!reported.insert({m, g.act}).second) continue;
        Finding f = make_finding(p, act, "`" + a.text + "` is checked, then popped or indexed, in " +
                                             p.qualname_of(act) + " without a lock: another thread can empty it "
                                             "in between (IndexError/KeyError, or a corrupted heap)");
        f.related = related_site(p, check, "checked here");
        out.push_back(std::move(f));
      }
    }
    for_each_access(p, [&](AccessRef r, const Access& a) {
      if (a.kind != AccessKind::Mutate || !is_heapq(a.op)) return;
      if (reported.count({r.module, r.access})) return;
      if (p.location_of(r) < 0 || in_private_phase(p, r) || p.holds_any_lock(r)) return;
      out.push_back(make_finding(p, r, "`" + std::string(op_name(a.op)) + "` on shared list `" + a.text + "` in " + p.qualname_of(r) +
                                           " without a lock: the heap invariant spans several steps and "
                                           "concurrent heap operations corrupt it"));
    });
  }
};

}  // namespace

std::unique_ptr<Rule> make_ra002() { return std::make_unique<CheckThenPop>(); }

}  // namespace raceaudit
