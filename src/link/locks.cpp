// Linking: lock identity. A lock is the location of the lock object,
// resolved like any access; each access gets the set of locks it holds.
#include "link/project.h"

#include <algorithm>

#include "link/link_util.h"
#include "models/threading_apis.h"
#include "facts/places.h"

namespace raceaudit {

// A lock is identified by the location of the lock object, resolved like any
// access: `self._lock` in two methods of a class (or of its subclasses) is one
// lock; `self.guard` in an unrelated class is another place.
int32_t Project::lock_location(uint32_t m, int32_t scope, PlaceId lock) {
  const Place& pl = place_of(m, lock);
  int32_t loc = -1;
  if (pl.root == Root::LockHelper) {
    loc = intern_location(LocationKind::Global, static_cast<int32_t>(m), "<lock helper>." + pl.path,
                          global_key(m, "<lock helper>"));
  } else if (pl.root == Root::Returned) {
    // `with self.get_lock():` holds the attribute the method returns.
    for (auto [fm, fs] : resolve_call(m, scope, pl.base)) {
      const std::string& attr = modules_[fm].property_returns(modules_[fm].scopes[static_cast<size_t>(fs)]);
      const int32_t cls = scope_info_[fm][static_cast<size_t>(fs)].class_id;
      if (attr.empty() || cls < 0) continue;
      const Place self_attr{Root::Self, "self", attr, kNoPlace};
      const std::string text = "self." + attr;
      loc = from_instance(PlaceQuery{fm, fs, self_attr, AccessKind::Read, Op::None, text, {attr}}, cls, 0);
      break;
    }
    if (loc < 0) return -1;
  } else {
    const std::string text = place_text(modules_[m], lock);
    loc = resolve_place(m, scope, lock, AccessKind::Read, Op::None, text);
    if (loc < 0) loc = intern_location(LocationKind::Unresolved, -1, text, text);
  }
  return is_lock(m, scope, pl, loc) ? loc : -1;
}

bool Project::is_lock(uint32_t m, int32_t scope, const Place& pl, int32_t location) const {
  if (pl.root == Root::LockHelper) return true;  // _acquireLock() ... _releaseLock()
  const std::string last = pl.path.empty() ? pl.root_name : last_part(pl.path);
  if (lock_like_name(last)) return true;
  const Location& l = locations_[static_cast<size_t>(location)];
  switch (l.kind) {
    case LocationKind::Instance:
    case LocationKind::ClassAttr: {
      // Assigned a lock in the owner's hierarchy or in the accessing class's.
      for (int32_t start : {l.owner, scope_info_[m][static_cast<size_t>(scope)].class_id}) {
        std::vector<int32_t> stack{start};
        for (size_t i = 0; i < stack.size() && i < 64 && stack[i] >= 0; ++i) {
          const ClassInfo& c = classes_[static_cast<size_t>(stack[i])];
          if (c.lock_attrs.count(l.name)) return true;
          stack.insert(stack.end(), c.bases.begin(), c.bases.end());
        }
      }
      return false;
    }
    case LocationKind::Global:
      return lock_globals_.count(l.display) > 0;
    case LocationKind::Unresolved:
      return !pl.path.empty() && lock_attr_names_.count(last) > 0;  // a receiver of unknown type
    case LocationKind::Path:
      return false;
  }
  return false;
}

uint32_t Project::intern_lockset(uint32_t m, int32_t scope, uint32_t lockset) {
  std::vector<int32_t> locks;
  for (PlaceId held : modules_[m].locksets[lockset])
    if (const int32_t loc = lock_location(m, scope, held); loc >= 0) locks.push_back(loc);
  sort_unique(locks);
  std::string key(reinterpret_cast<const char*>(locks.data()), locks.size() * sizeof(int32_t));
  auto [it, fresh] = lockset_ids_.emplace(std::move(key), static_cast<uint32_t>(locksets_.size()));
  if (fresh) locksets_.push_back(std::move(locks));
  return it->second;
}

// The locks held at every access and call, resolved once (results are read by
// rules in any order).
void Project::resolve_locks() {
  locksets_.assign(1, {});
  lockset_ids_.emplace(std::string(), 0);
  access_locks_.resize(modules_.size());
  call_locks_.resize(modules_.size());
  for (uint32_t m = 0; m < modules_.size(); ++m) {
    const ModuleFacts& mf = modules_[m];
    // Locksets are per module; their meaning depends on the scope's class.
    std::unordered_map<uint64_t, uint32_t> memo;
    auto locks_of = [&](int32_t scope, uint32_t lockset) -> uint32_t {
      if (lockset == 0) return 0;
      const uint64_t key = (static_cast<uint64_t>(static_cast<uint32_t>(scope)) << 32) | lockset;
      auto it = memo.find(key);
      if (it != memo.end()) return it->second;
      const uint32_t id = intern_lockset(m, scope, lockset);
      memo.emplace(key, id);
      return id;
    };
    access_locks_[m].resize(mf.accesses.size());
    for (size_t i = 0; i < mf.accesses.size(); ++i)
      access_locks_[m][i] = locks_of(mf.accesses[i].scope, mf.accesses[i].lockset);
    call_locks_[m].resize(mf.calls.size());
    for (size_t i = 0; i < mf.calls.size(); ++i) call_locks_[m][i] = locks_of(mf.calls[i].scope, mf.calls[i].lockset);
  }
  locks_taken_.resize(modules_.size());
  for (uint32_t m = 0; m < modules_.size(); ++m) {
    auto note = [&](int32_t scope, uint32_t set) {
      if (set == 0) return;
      std::vector<int32_t>& taken = locks_taken_[m][scope];
      taken.insert(taken.end(), locksets_[set].begin(), locksets_[set].end());
    };
    for (size_t i = 0; i < modules_[m].accesses.size(); ++i) note(modules_[m].accesses[i].scope, access_locks_[m][i]);
    for (size_t i = 0; i < modules_[m].calls.size(); ++i) note(modules_[m].calls[i].scope, call_locks_[m][i]);
    for (auto& [scope, taken] : locks_taken_[m]) sort_unique(taken);
  }
}

const std::vector<int32_t>& Project::locks_taken(uint32_t m, int32_t scope) const {
  static const std::vector<int32_t> kNone;
  const auto it = locks_taken_[m].find(scope);
  return it == locks_taken_[m].end() ? kNone : it->second;
}

std::vector<int32_t> Project::lock_globals_of(uint32_t m) const {
  std::vector<int32_t> out;
  const std::string& mod = modules_[m].module_name;
  for (const std::string& key : lock_globals_) {
    if (!mod.empty() && key.compare(0, mod.size() + 1, mod + ".") != 0) continue;
    const std::string name = mod.empty() ? key : key.substr(mod.size() + 1);
    if (name.find('.') != std::string::npos) continue;
    if (const int32_t loc = find_location(LocationKind::Global, static_cast<int32_t>(m), name); loc >= 0) out.push_back(loc);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<int32_t> Project::locks_at(AccessRef r) const {
  const Access& a = access(r);
  return unite(locksets_[access_locks_[r.module][r.access]], scope_info(r.module, a.scope).entry_locks);
}

bool Project::share_a_lock(AccessRef a, AccessRef b) const {
  return !intersect(locks_at(a), locks_at(b)).empty();
}

bool Project::in_one_critical_section(AccessRef a, AccessRef b) const {
  const std::vector<int32_t> common = intersect(locks_at(a), locks_at(b));
  if (common.empty()) return false;
  const Access& x = access(a);
  const Access& y = access(b);
  if (a.module != b.module || x.scope != y.scope) return true;
  // A lock every caller holds covers the whole call.
  if (!intersect(common, scope_info(a.module, x.scope).entry_locks).empty()) return true;
  return x.section != 0 && x.section == y.section;
}

}  // namespace raceaudit
