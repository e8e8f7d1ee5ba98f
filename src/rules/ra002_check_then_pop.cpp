// RA002: an emptiness check of a shared container followed by a pop, heappop
// or index; a membership check followed by an index read while another
// function removes from the container; and any heapq mutation of a shared
// list outside a lock.
#include <optional>
#include <set>

#include "fix/fix_makers.h"
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

// `if k in d: return d[k]`: a lookup, which only fails when something removes
// from `d` in between.
bool is_checked_lookup(const Access& c, const Access& a) {
  return a.kind == AccessKind::Read && a.op == Op::Index &&
         (c.check == CheckKind::In || c.check == CheckKind::Get || c.check == CheckKind::Item);
}

// `if self.conns: min(self.conns, key=f)`: min() and max() of an empty
// sequence raise ValueError, so this too fails only when something removes
// from the container in between.
bool is_checked_min_max(const Access& c, const Access& a) {
  return a.kind == AccessKind::Iterate && a.op == Op::MinMax && is_emptiness_check(c);
}

// `if not self._q.empty(): return self._q.get()`: another consumer can take
// the item in between; get() then blocks, get_nowait() raises queue.Empty.
bool is_checked_queue_get(const Access& c, const Access& a) {
  return c.check == CheckKind::QueueSize && a.kind == AccessKind::Read && a.op == Op::QueueGet;
}

bool removes(const Access& a) {
  return a.kind == AccessKind::Mutate &&
         (removes_element(a.op) || empties(a.op) || a.op == Op::DelItem || a.op == Op::Remove || a.op == Op::Discard);
}

// A removal from the read's container in another function, outside the
// private phase, holding no lock the read holds. Only for places linked to an
// attribute or global: unresolved ones (`cont[k]`, a local of unknown type)
// are joined by their text, which says nothing about being the same object.
std::optional<AccessRef> unguarded_remover(const Project& p, AccessRef read) {
  const int32_t loc = p.location_of(read);
  if (p.locations()[static_cast<size_t>(loc)].kind == LocationKind::Unresolved) return std::nullopt;
  for (const AccessRef r : p.accesses_of(loc)) {
    const Access& a = p.access(r);
    if (!removes(a) || (r.module == read.module && a.scope == p.access(read).scope)) continue;
    if (in_private_phase(p, r) || !p.may_overlap(r, read)) continue;
    return r;
  }
  return std::nullopt;
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
        const bool queue = is_checked_queue_get(c, a);
        const bool min_max = is_checked_min_max(c, a);
        const bool lookup = (is_checked_lookup(c, a) && !pairs(c, a)) || min_max;
        if (!queue && !min_max && (!is_pop(a) || (!pairs(c, a) && !lookup))) continue;
        if (a.handled & HandledLookup) continue;  // the code catches the IndexError/KeyError/queue.Empty
        if (p.location_of(act) < 0 || in_private_phase(p, act) || p.in_one_critical_section(check, act)) continue;
        if (rechecked_under_lock(p, m, g.act)) continue;  // double-checked locking
        if (queue) {
          if (reported.insert({m, g.act}).second) out.push_back(queue_finding(p, check, act));
          continue;
        }
        if (lookup) {
          if (const auto remover = unguarded_remover(p, act); remover && reported.insert({m, g.act}).second)
            out.push_back(lookup_finding(p, check, act, *remover));
          continue;
        }
        if (!reported.insert({m, g.act}).second) continue;
        Finding f = make_finding(p, act, "`" + a.text + "` is checked, then popped or indexed, in " +
                                             p.qualname_of(act) + " without a lock: another thread can empty it "
                                             "in between (IndexError/KeyError, or a corrupted heap)",
                                 &check);
        f.related = related_site(p, check, "checked here");
        f.fix = lock_fix_between(p, check, act, p.accesses_of(p.location_of(act)), "the check and the pop");
        out.push_back(std::move(f));
      }
    }
    for_each_access(p, [&](AccessRef r, const Access& a) {
      if (a.kind != AccessKind::Mutate || !is_heapq(a.op)) return;
      if (reported.count({r.module, r.access})) return;
      if (p.location_of(r) < 0 || in_private_phase(p, r) || p.holds_any_lock(r)) return;
      Finding f = make_finding(p, r, "`" + std::string(op_name(a.op)) + "` on shared list `" + a.text + "` in " +
                                         p.qualname_of(r) + " without a lock: the heap invariant spans several steps and "
                                         "concurrent heap operations corrupt it");
      f.fix = lock_fix(p, r, p.accesses_of(p.location_of(r)));
      out.push_back(std::move(f));
    });
  }

 private:
  Finding queue_finding(const Project& p, AccessRef check, AccessRef get) const {
    const Access& a = p.access(get);
    Finding f = make_finding(p, get, "`" + a.text + "` is tested with empty()/qsize()/full() (line " +
                                         std::to_string(p.access(check).span.line) + "), then taken from, in " +
                                         p.qualname_of(get) + ": another consumer can take the item in between, "
                                         "and get() then blocks (get_nowait() raises queue.Empty)");
    f.related = related_site(p, check, "checked here");
    return f;
  }

  Finding lookup_finding(const Project& p, AccessRef check, AccessRef read, AccessRef remover) const {
    const Access& a = p.access(read);
    const bool min_max = a.op == Op::MinMax;
    Finding f = make_finding(p, read, "`" + a.text + "` is checked (line " + std::to_string(p.access(check).span.line) +
                                          (min_max ? "), then min()/max() of it taken, in " : "), then indexed, in ") +
                                          p.qualname_of(read) + " while " + p.qualname_of(remover) +
                                          " removes from it without a common lock: " +
                                          (min_max ? "it can be empty by then (ValueError)"
                                                   : "the item can be gone in between (KeyError/IndexError)"),
                             &remover);
    f.related = related_site(p, remover, "removed here");
    return f;
  }
};

}  // namespace

std::unique_ptr<Rule> make_ra002() { return std::make_unique<CheckThenPop>(); }

}  // namespace raceaudit
