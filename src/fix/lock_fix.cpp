// RA001 and RA008's fix: hold, around the flagged statement, the lock that
// guards the same location elsewhere (the lock most of the given accesses
// hold). Unsafe: a caller that already holds a non-reentrant lock would
// deadlock, and a read of the location before the statement stays outside.
#include <map>

#include "fix/fix_makers.h"

namespace raceaudit {
namespace {

bool in_hierarchy(const Project& p, int32_t cls, int32_t owner, int depth = 0) {
  if (cls < 0 || depth > 16) return false;
  if (cls == owner) return true;
  for (int32_t b : p.classes()[static_cast<size_t>(cls)].bases)
    if (in_hierarchy(p, b, owner, depth + 1)) return true;
  return false;
}

// How the statement's function names the lock: `self._lock` for a lock
// attribute of its own class, `LOCK` for a lock global of its module.
std::string lock_text(const Project& p, AccessRef at, int32_t lock) {
  const Location& l = p.locations()[static_cast<size_t>(lock)];
  const Access& a = p.access(at);
  if (l.kind == LocationKind::Global) return l.owner == static_cast<int32_t>(at.module) ? l.name : "";
  const Scope& s = p.module(at.module).scopes[static_cast<size_t>(a.scope)];
  if (l.kind != LocationKind::Instance || p.place(at).root != Root::Self || !s.is_method || s.is_staticmethod ||
      s.is_classmethod || s.params.empty())
    return "";
  if (!in_hierarchy(p, p.scope_info(at.module, a.scope).class_id, l.owner)) return "";
  return s.params[0].name + "." + l.name;
}

}  // namespace

std::optional<Fix> lock_fix(const Project& p, AccessRef at, const std::vector<AccessRef>& guarded) {
  const Access& a = p.access(at);
  const Scope& s = p.module(at.module).scopes[static_cast<size_t>(a.scope)];
  if (s.kind != ScopeKind::Function || s.is_async || a.stmt.line == 0 || a.stmt.col == 0) return std::nullopt;
  std::map<int32_t, size_t> held;  // lock -> how many of `guarded` hold it
  for (const AccessRef& r : guarded)
    for (int32_t lock : p.locks_at(r)) ++held[lock];
  int32_t best = -1;
  size_t most = 0;
  for (const auto& [lock, n] : held)
    if (n > most && !lock_text(p, at, lock).empty()) best = lock, most = n;
  if (best < 0) return std::nullopt;
  const std::string lock = lock_text(p, at, best);
  Fix f;
  f.applicability = Applicability::Unsafe;
  f.message = "Hold `" + lock + "`, which guards `" + a.text + "` elsewhere, around the statement";
  f.alone = a.stmt;
  f.edits.push_back({Span{a.stmt.line, a.stmt.col, a.stmt.line, a.stmt.col},
                     "with " + lock + ":\n" + std::string(a.stmt.col - 1, ' ') + "    "});
  return f;
}

}  // namespace raceaudit
