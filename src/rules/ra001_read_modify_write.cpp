// RA001: `self.n += 1`, `node.count -= 1`, `self.used = self.used + n` on
// instance state, outside any lock; and `next(self._gen)` on a shared
// generator or iterator (issue 13 item 7), wherever it lives.
#include "fix/fix_makers.h"
#include "models/iteration.h"
#include "rules/rule.h"
#include "rules/rule_helpers.h"

namespace raceaudit {
namespace {

class ReadModifyWrite final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"RA001", "unsynchronized-read-modify-write",
                            "unsynchronized read-modify-write of shared state", Symptom::Silent,
                            "hold a lock around the update, or use itertools.count() for id allocation"};
    return i;
  }

  void check(const Project& p, std::vector<Finding>& out) const override {
    for_each_access(p, [&](AccessRef r, const Access& a) {
      if (a.kind == AccessKind::Read && a.op == Op::Advance) return advance(p, r, a, out);
      if (a.kind != AccessKind::ReadModifyWrite) return;
      const int32_t loc = p.location_of(r);
      if (loc < 0) return;
      const LocationKind k = p.locations()[static_cast<size_t>(loc)].kind;
      if (k != LocationKind::Instance && k != LocationKind::Unresolved) return;  // RA006 / RA007
      if (is_own_attribute(p.place(r)) && p.in_instance_init(r)) return;
      if (p.holds_any_lock(r)) return;
      Finding f = make_finding(p, r,
                               "read-modify-write of `" + a.text + "` without a lock in " + p.qualname_of(r) +
                                   ": concurrent updates can be lost");
      f.fix = lock_fix(p, r, p.accesses_of(loc));
      out.push_back(std::move(f));
    });
  }

 private:
  void advance(const Project& p, AccessRef r, const Access& a, std::vector<Finding>& out) const {
    const int32_t loc = p.location_of(r);
    if (loc < 0 || p.in_private_phase(r) || p.holds_any_lock(r) ||
        p.some_write_calls(loc, advances_atomically))  // `itertools.count()`: its next() is atomic
      return;
    // An iterator's own `__next__` stepping the one it wraps: the object is
    // an iterator itself, and an iterator has one consumer.
    const std::string& fn = p.module(r.module).scopes[static_cast<size_t>(a.scope)].name;
    if (fn == "__next__" || fn == "next") return;
    Finding f = make_finding(p, r,
                             "`next()` on shared iterator `" + a.text + "` without a lock in " + p.qualname_of(r) +
                                 ": two threads can step it at once (a generator raises ValueError: generator "
                                 "already executing; others can repeat or skip items)");
    f.fix = lock_fix(p, r, p.accesses_of(loc));
    out.push_back(std::move(f));
  }
};

}  // namespace

std::unique_ptr<Rule> make_ra001() { return std::make_unique<ReadModifyWrite>(); }

}  // namespace raceaudit
