// The lock fixes (unsafe): hold a lock around the statements of a finding,
// the lock that src/fix/lock_setup.h chooses. Unsafe: a caller that already
// holds a non-reentrant lock would deadlock, a read of the location before
// the statements stays outside, and a new lock is a design decision.
#include <algorithm>

#include "fix/fix_makers.h"
#include "fix/lock_setup.h"
#include "fix/wrap_region.h"
#include "models/threading_apis.h"

namespace raceaudit {
namespace {

bool overlap(const Span& a, const Span& b) { return contains(a, Span{b.line, b.col, b.line, b.col}) || contains(b, Span{a.line, a.col, a.line, a.col}); }

constexpr uint32_t kMostLines = 25;  // a lock over more code than this is a redesign, not a fix

// Does a call in `span` of function `scope` wait (`self._stop.wait(t)`,
// `sock.recv()`, also in a project function it calls, a few calls deep), or
// call a callback: a parameter (`fn(x)`) or a callable stored on the object
// (`self._on_close()`, `close = self._close; close()`)? Code the lock's
// owner does not control must not run under the lock (it may take the same
// lock, or wait for a thread that wants it), nor a wait.
bool waits_or_calls_out(const Project& p, uint32_t mod, int32_t scope, const Span& span, int depth = 0) {
  const ModuleFacts& m = p.module(mod);
  bool out = false;
  for_each_call_in(m, scope, span, [&](const Call& c) {
    if (out) return;
    const Place& callee = m.places[c.callee];
    const std::vector<std::pair<uint32_t, int32_t>> targets = p.resolve_call(mod, scope, c.callee);
    if (blocking_call(callee.path.empty() ? callee.root_name : callee.path)) out = true;
    else if (callee.root == Root::Param && callee.path.empty()) out = true;
    else if ((callee.root == Root::Self || callee.root == Root::Cls) && !callee.path.empty() &&
             callee.path.find('.') == std::string::npos && targets.empty())
      out = true;
    else if (depth < 3)
      for (const auto& [tm, ts] : targets)
        if (!out && ts > 0) out = waits_or_calls_out(p, tm, ts, p.module(tm).scopes[static_cast<size_t>(ts)].span, depth + 1);
  });
  return out;
}

bool waits_or_calls_out(const Project& p, const Region& r) {
  return r.span.end_line - r.span.line >= kMostLines || waits_or_calls_out(p, r.in.module, p.access(r.in).scope, r.span);
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

namespace {

// The use with the checks of its function that guard it (`if self.q:` of
// `self.q.pop()`): the lock must cover those too, as RA002's fix does. Not
// when that would hold the lock across a wait: then the use alone.
Span use_region(const Project& p, AccessRef use) {
  Span out = statement_region(p, use);
  const std::vector<GuardedAct>& guarded = p.module(use.module).guarded;  // in act order
  auto it = std::lower_bound(guarded.begin(), guarded.end(), use.access,
                             [](const GuardedAct& g, uint32_t act) { return g.act < act; });
  for (; it != guarded.end() && it->act == use.access; ++it)
    if (const auto r = wrap_region(p, {use.module, it->check}, use);
        r && contains(*r, out) && !waits_or_calls_out(p, {use, *r}))
      out = *r;
  return out;
}

constexpr size_t kMostUses = 4;  // more racing uses than this: a redesign, not a fix

}  // namespace

std::optional<Fix> lock_fix_uses(const Project& p, AccessRef at, const std::vector<AccessRef>& racing,
                                 const std::vector<AccessRef>& guarded) {
  const bool at_locked = p.holds_any_lock(at);
  std::vector<Region> regions;
  if (!at_locked) regions.push_back({at, p.access(at).stmt});
  std::vector<std::string> lines;
  for (const AccessRef& u : racing) {
    if (p.holds_any_lock(u)) {
      if (at_locked) return std::nullopt;  // under another lock: one would nest in the other
      continue;                            // the lock chosen may be the one it holds
    }
    if (u.module != at.module) return std::nullopt;  // a fix edits one file
    const Span r = use_region(p, u);
    bool inside = false;
    for (const Region& g : regions) inside = inside || contains(g.span, r);
    if (inside) continue;
    regions.push_back({u, r});
    lines.push_back(std::to_string(p.access(u).stmt.line));
  }
  if (lines.size() > kMostUses || (lines.empty() && at_locked)) return std::nullopt;
  if (lines.empty()) return wrap_in_lock(p, at, guarded, regions, "the statement");  // the uses hold a lock
  std::string what = lines.size() == 1 ? "the use of line " + lines[0] : "the uses of lines " + lines[0];
  for (size_t i = 1; i < lines.size(); ++i) what += (i + 1 == lines.size() ? " and " : ", ") + lines[i];
  // The nulling holds a lock already: the uses take that one.
  if (at_locked) return wrap_in_lock(p, regions.front().in, {at}, regions, what);
  return wrap_in_lock(p, at, guarded, regions, "the statement and " + what);
}

}  // namespace raceaudit
