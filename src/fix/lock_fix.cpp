// The lock fixes (unsafe): hold a lock around the statements of a finding,
// the lock that src/fix/lock_setup.h chooses. Unsafe: a caller that already
// holds a non-reentrant lock would deadlock, a read of the location before
// the statements stays outside, and a new lock is a design decision.
#include "fix/fix_makers.h"
#include "fix/lock_setup.h"
#include "fix/wrap_region.h"
#include "models/threading_apis.h"

namespace raceaudit {
namespace {

bool overlap(const Span& a, const Span& b) { return contains(a, Span{b.line, b.col, b.line, b.col}) || contains(b, Span{a.line, a.col, a.line, a.col}); }

// Does the region call something that waits (`self._stop.wait(t)`), or a
// callback: a parameter (`fn(x)`) or a callable stored on the object
// (`self._on_close()`, `close = self._close; close()`)? Code the lock's
// owner does not control must not run under the lock: it may take the same
// lock, or wait for a thread that wants it.
bool waits_or_calls_out(const Project& p, const Region& r) {
  const ModuleFacts& m = p.module(r.in.module);
  const int32_t scope = p.access(r.in).scope;
  bool out = false;
  for_each_call_in(m, scope, r.span, [&](const Call& c) {
    const Place& callee = m.places[c.callee];
    if (blocking_call(callee.path.empty() ? callee.root_name : callee.path)) out = true;
    if (callee.root == Root::Param && callee.path.empty()) out = true;
    if ((callee.root == Root::Self || callee.root == Root::Cls) && !callee.path.empty() &&
        callee.path.find('.') == std::string::npos && p.resolve_call(r.in.module, scope, c.callee).empty())
      out = true;
  });
  return out;
}

std::optional<Fix> wrap_in_lock(const Project& p, AccessRef at, const std::vector<AccessRef>& guarded,
                                const std::vector<Region>& regions, const std::string& what) {
  for (size_t i = 0; i < regions.size(); ++i) {
    if (regions[i].span.line == 0 || regions[i].span.col == 0 || waits_or_calls_out(p, regions[i])) return std::nullopt;
    for (size_t j = 0; j < i; ++j)
      if (regions[j].in.module == regions[i].in.module && overlap(regions[j].span, regions[i].span)) return std::nullopt;
  }
  std::optional<LockPlan> lock = plan_lock(p, at, guarded, regions);
  if (!lock) return std::nullopt;
  Fix f;
  f.applicability = Applicability::Unsafe;
  f.message = "Hold `" + lock->text + "`, " + lock->why + ", around " + what;
  f.edits = std::move(lock->setup);
  for (const Region& r : regions) f.wraps.push_back({r.span, "with " + lock->text + ":"});
  return f;
}

}  // namespace

std::optional<Fix> lock_fix(const Project& p, AccessRef at, const std::vector<AccessRef>& guarded) {
  return wrap_in_lock(p, at, guarded, {{at, p.access(at).stmt}}, "the statement");
}

std::optional<Fix> lock_fix_between(const Project& p, AccessRef first, AccessRef last,
                                    const std::vector<AccessRef>& guarded, const std::string& what) {
  const std::optional<Span> region = wrap_region(p, first, last);
  if (!region) return std::nullopt;
  return wrap_in_lock(p, last, guarded, {{last, *region}}, what);
}

std::optional<Fix> lock_fix_pair(const Project& p, AccessRef at, AccessRef partner,
                                 const std::vector<AccessRef>& guarded) {
  // The use with the checks of its function that guard it (`if self.q:` of
  // `self.q.pop()`): the lock must cover those too, as RA002's fix does.
  // Not when that would hold the lock across a wait: then the use alone.
  Span use = statement_region(p, partner);
  for (const GuardedAct& g : p.module(partner.module).guarded)
    if (g.act == partner.access)
      if (const auto r = wrap_region(p, {partner.module, g.check}, partner);
          r && contains(*r, use) && !waits_or_calls_out(p, {partner, *r}))
        use = *r;
  const std::string line = std::to_string(p.access(partner).stmt.line);
  // The nulling holds a lock already: the use takes that one.
  if (p.holds_any_lock(at)) return wrap_in_lock(p, partner, {at}, {{partner, use}}, "the use of line " + line);
  return wrap_in_lock(p, at, guarded, {{at, p.access(at).stmt}, {partner, use}}, "the statement and the use of line " + line);
}

}  // namespace raceaudit
