// RA003: Python-level iteration over a shared container that another function
// mutates, with no lock common to both.
#include "fix/fix_makers.h"
#include "models/interpreter_state.h"
#include "rules/rule.h"
#include "rules/rule_helpers.h"

namespace raceaudit {
namespace {

// In-place changes. Rebinding the location (`self.d = {}`, the reset idiom)
// does not touch the object an iteration already walks; RA008 reports it.
bool is_mutation(const Access& a) { return a.kind == AccessKind::Mutate; }

// `self.counts[k]` on a defaultdict inserts k when it is missing. Only reads in
// another function count: a loop that reads the keys it iterates finds them.
bool inserts_by_reading(const Access& a, Container held) {
  return held == Container::DefaultDict && a.kind == AccessKind::Read && a.op == Op::Index;
}

std::string symptom_text(Container c) {
  switch (c) {
    case Container::List: return "an element can be skipped or seen twice";
    case Container::Deque: return "RuntimeError: deque mutated during iteration";
    default: return "RuntimeError: changed size during iteration";
  }
}

class IterateWhileMutated final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"RA003", "iterate-while-mutated", "iteration over a container another thread mutates",
                            Symptom::Crash,
                            "iterate over a snapshot (list(d), d.copy()) taken under the lock, or hold the same "
                            "lock while iterating and mutating"};
    return i;
  }

  void check(const Project& p, std::vector<Finding>& out) const override {
    for (size_t loc = 0; loc < p.locations().size(); ++loc) {
      const auto& sites = p.accesses_of(static_cast<int32_t>(loc));
      const Container held = p.locations()[loc].container;
      std::vector<AccessRef> iterations, mutations, reading_inserts;
      for (const AccessRef& r : sites) {
        const Access& a = p.access(r);
        if (a.kind == AccessKind::Iterate) iterations.push_back(r);
        else if (is_mutation(a) && !in_private_phase(p, r)) mutations.push_back(r);
        else if (inserts_by_reading(a, held) && !in_private_phase(p, r)) reading_inserts.push_back(r);
      }
      mutations.insert(mutations.end(), reading_inserts.begin(), reading_inserts.end());
      if (iterations.empty()) continue;
      if (mutations.empty()) {
        report_implicit(p, p.locations()[loc], iterations, out);
        continue;
      }
      for (const AccessRef& it : iterations) {
        if (in_private_phase(p, it)) continue;
        const Access& ia = p.access(it);
        if (ia.handled & HandledRuntime) continue;  // the code catches "changed size during iteration"
        // Prefer a mutation in another function as the related site; one in the
        // same function races too when two threads run that function.
        std::vector<AccessRef> ordered;
        for (const AccessRef& mu : mutations)
          if (!(mu.module == it.module && p.access(mu).scope == ia.scope)) ordered.push_back(mu);
        for (const AccessRef& mu : mutations)
          if (mu.module == it.module && p.access(mu).scope == ia.scope && !inserts_by_reading(p.access(mu), held))
            ordered.push_back(mu);
        for (const AccessRef& mu : ordered) {
          if (!p.may_overlap(it, mu)) continue;
          const std::string how =
              inserts_by_reading(p.access(mu), held) ? " inserts into it by reading a missing key (" : " mutates it (";
          Finding f = make_finding(p, it, "iteration over `" + ia.text + "` in " + p.qualname_of(it) + " while " +
                                              p.qualname_of(mu) + how + site(p, mu) +
                                              ") without a common lock: " + symptom_text(held),
                                   &mu);
          // A list does not notice: an element is skipped or seen twice.
          if (held == Container::List) f.symptom = Symptom::Silent;
          f.related = related_site(p, mu, "mutated here");
          f.fix = ra003_fix(p, it);
          out.push_back(std::move(f));
          break;
        }
      }
    }
  }

 private:
  // A standard-library container the interpreter mutates by itself
  // (`sys.modules`): every unguarded iteration races with that, and there is
  // no project line to name as the other site.
  void report_implicit(const Project& p, const Location& l, const std::vector<AccessRef>& iterations,
                       std::vector<Finding>& out) const {
    if (l.kind != LocationKind::Global || l.owner >= 0) return;
    const std::string_view mutator = implicit_mutator(l.display);
    if (mutator.empty()) return;
    for (const AccessRef& it : iterations) {
      const Access& ia = p.access(it);
      if (in_private_phase(p, it) || (ia.handled & HandledRuntime)) continue;
      Finding f = make_finding(p, it, "iteration over `" + ia.text + "` in " + p.qualname_of(it) + " while " +
                                          std::string(mutator) + ": " + symptom_text(Container::Dict));
      f.fix = ra003_fix(p, it);
      out.push_back(std::move(f));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_ra003() { return std::make_unique<IterateWhileMutated>(); }

}  // namespace raceaudit
