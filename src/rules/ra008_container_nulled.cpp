// RA008: a shared container set to None, rebound to a new empty one, cleared,
// or one of its slots set to None, while another function iterates or indexes it.
#include "rules/rule.h"
#include "rules/rule_helpers.h"

namespace raceaudit {
namespace {

bool is_nulling(const Access& a) {
  if (a.kind == AccessKind::Write) return a.value == ValueKind::None || a.value == ValueKind::EmptyContainer;
  if (a.kind == AccessKind::Mutate) return a.detail == "clear" || (a.detail == "setitem" && a.value == ValueKind::None);
  return false;
}

bool is_use(const Access& a) {
  return a.kind == AccessKind::Iterate ||
         (a.kind == AccessKind::Read && detail_is(a, {"index", "last", "get", "next_iter", "len"})) ||
         (a.kind == AccessKind::Mutate && a.detail != "clear");
}

class ContainerNulled final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"RA008", "shared-container-nulled", "shared container nulled or rebound while in use",
                            Symptom::Crash,
                            "hold the lock that its readers hold, or publish a new container with one assignment "
                            "and have readers take a local reference first"};
    return i;
  }

  void check(const Project& p, std::vector<Finding>& out) const override {
    for (size_t loc = 0; loc < p.locations().size(); ++loc) {
      const auto& sites = p.accesses_of(static_cast<int32_t>(loc));
      std::vector<AccessRef> nullings, uses;
      for (const AccessRef& r : sites) {
        const Access& a = p.access(r);
        if (is_nulling(a)) {
          if (!in_private_phase(p, r)) nullings.push_back(r);
        } else if (is_use(a) && !in_private_phase(p, r)) {
          uses.push_back(r);
        }
      }
      for (const AccessRef& n : nullings) {
        const Access& na = p.access(n);
        for (const AccessRef& u : uses) {
          const Access& ua = p.access(u);
          if (u.module == n.module && ua.scope == na.scope) continue;
          if (p.share_a_lock(n, u)) continue;
          const std::string how = na.kind == AccessKind::Mutate
                                      ? (na.detail == "clear" ? "cleared" : "has a slot set to None")
                                      : (na.value == ValueKind::None ? "set to None" : "rebound to a new empty container");
          Finding f = make_finding(p, n, "shared container `" + na.text + "` " + how + " in " + p.qualname_of(n) +
                                             " while " + p.qualname_of(u) + " uses it (" + site(p, u) +
                                             ") without a common lock");
          f.related = related_site(p, u, "used here");
          out.push_back(std::move(f));
          break;
        }
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_ra008() { return std::make_unique<ContainerNulled>(); }

}  // namespace raceaudit
