// RA008: a shared container set to None, rebound to a new empty one, cleared,
// or one of its slots set to None, while another function iterates or indexes it.
#include "fix/fix_makers.h"
#include "rules/rule.h"
#include "rules/rule_helpers.h"

namespace raceaudit {
namespace {

bool is_nulling(const Access& a) {
  if (a.kind == AccessKind::Write) return a.value == ValueKind::None || a.value == ValueKind::EmptyContainer;
  if (a.kind == AccessKind::Mutate) return empties(a.op) || (a.op == Op::SetItem && a.value == ValueKind::None);
  return false;
}

// Iterating or indexing the container breaks when it is swapped or emptied
// under the reader; calling a method on it breaks when it becomes None.
// Pops index too; `len()` right after an append is an index (RA004's shape).
bool is_use(const Project& p, AccessRef r, const Access& nulling) {
  const Access& a = p.access(r);
  if (a.kind == AccessKind::Iterate) return true;
  const bool to_none = nulling.kind == AccessKind::Write && nulling.value == ValueKind::None;
  if (a.kind == AccessKind::Read) {
    if (reads_element(a.op)) return true;
    // On None they raise; on a fresh container not.
    if (a.op == Op::Get || a.op == Op::QueueGet || a.op == Op::MethodCall) return to_none;
    if (a.op != Op::Len) return false;
    const auto& all = p.module(r.module).accesses;
    for (uint32_t i = r.access; i-- > 0;) {
      const Access& b = all[i];
      if (b.scope != a.scope) continue;
      if (b.kind == AccessKind::Mutate && (b.op == Op::Append || b.op == Op::Insert) && b.text == a.text) return true;
    }
    return false;
  }
  if (a.kind != AccessKind::Mutate) return false;
  if (removes_element(a.op)) return true;
  return to_none;
}

// Set to None, and the only use it races with comes before it in the same
// function (`if self.t: self.t.cancel(); self.t = None`): the race needs two
// calls of that function at once: low, unless the function runs both on a
// thread the project starts and on its callers' threads, or on many pool
// threads. (A rebind or clear racing an iteration in the same function keeps
// its confidence.)
void demote_self_pair(const Project& p, AccessRef n, Finding& f) {
  const ScopeInfo& si = p.scope_info(n.module, p.access(n).scope);
  const bool many = si.thread_reached && si.thread_root >= 0 &&
                    p.scope_info(si.thread_root_module, si.thread_root).many_threads;
  if ((si.thread_reached && si.api_reached) || many) return;
  f.confidence = Confidence::Low;
  f.evidence.push_back({"self-pair", "the use it races with is earlier in " + p.qualname_of(n) +
                                         ": only two calls of it at once race, and nothing runs it on two threads"});
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
        } else if (!in_private_phase(p, r) && (a.kind == AccessKind::Iterate || a.kind == AccessKind::Read ||
                                               a.kind == AccessKind::Mutate)) {
          uses.push_back(r);
        }
      }
      for (const AccessRef& n : nullings) {
        const Access& na = p.access(n);
        std::vector<AccessRef> ordered;  // uses in other functions first, as the related site
        for (const AccessRef& u : uses)
          if (!(u.module == n.module && p.access(u).scope == na.scope)) ordered.push_back(u);
        for (const AccessRef& u : uses)
          if (u.module == n.module && p.access(u).scope == na.scope) ordered.push_back(u);
        for (const AccessRef& u : ordered) {
          if (!is_use(p, u, na)) continue;
          if (!p.may_overlap(n, u)) continue;
          const std::string how = na.kind == AccessKind::Mutate
                                      ? (empties(na.op) ? "cleared" : "has a slot set to None")
                                      : (na.value == ValueKind::None ? "set to None" : "rebound to a new empty container");
          const bool calls = p.access(u).op == Op::MethodCall;
          Finding f = make_finding(p, n, std::string(calls ? "shared attribute `" : "shared container `") + na.text +
                                             "` " + how + " in " + p.qualname_of(n) + " while " + p.qualname_of(u) +
                                             (calls ? " calls a method on it (" : " uses it (") + site(p, u) +
                                             ") without a common lock",
                                   &u);
          f.related = related_site(p, u, "used here");
          if (u.module == n.module && p.access(u).scope == na.scope && na.value == ValueKind::None)
            demote_self_pair(p, n, f);
          std::vector<AccessRef> racing;  // every use this nulling races with
          for (const AccessRef& v : ordered)
            if (is_use(p, v, na) && p.may_overlap(n, v)) racing.push_back(v);
          f.fix = lock_fix_uses(p, n, racing, uses);
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
