// RA004: `self.items.append(x)` then `len(self.items) - 1` (or `[-1]`) to learn
// the new item's index, outside a lock.
#include <unordered_map>

#include "fix/fix_makers.h"
#include "rules/rule.h"
#include "rules/rule_helpers.h"

namespace raceaudit {
namespace {

class AppendThenLen final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"RA004", "append-then-len-index", "append, then index from len()", Symptom::Silent,
                            "compute the index and append under one lock, or allocate ids with itertools.count()"};
    return i;
  }

  void check(const Project& p, std::vector<Finding>& out) const override {
    for (uint32_t m = 0; m < p.modules().size(); ++m) {
      // Latest append per (scope, location) seen so far, in source order.
      std::unordered_map<uint64_t, uint32_t> last_append;
      const auto& accesses = p.module(m).accesses;
      for (uint32_t i = 0; i < accesses.size(); ++i) {
        const AccessRef r{m, i};
        const Access& a = accesses[i];
        const int32_t loc = p.location_of(r);
        if (loc < 0) continue;
        const uint64_t key = (static_cast<uint64_t>(static_cast<uint32_t>(a.scope)) << 32) | static_cast<uint32_t>(loc);
        if (a.kind == AccessKind::Mutate && appends_item(a.op)) {
          last_append[key] = i;
          continue;
        }
        if (a.kind != AccessKind::Read || (a.op != Op::Len && a.op != Op::Last)) continue;
        auto it = last_append.find(key);
        if (it == last_append.end()) continue;
        const AccessRef app{m, it->second};
        last_append.erase(it);
        if (in_private_phase(p, r) || p.in_one_critical_section(app, r)) continue;
        Finding f = make_finding(p, r, "index of the item just appended to `" + a.text + "` taken from " +
                                           (a.op == Op::Len ? "len()" : "[-1]") + " in " + p.qualname_of(r) +
                                           " without a lock: two threads can get the same index",
                                 &app);
        f.related = related_site(p, app, "appended here");
        f.fix = lock_fix_between(p, app, r, p.accesses_of(loc), "the append and the index");
        out.push_back(std::move(f));
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_ra004() { return std::make_unique<AppendThenLen>(); }

}  // namespace raceaudit
