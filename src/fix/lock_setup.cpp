#include "fix/lock_setup.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "fix/wrap_region.h"

namespace raceaudit {
namespace {

constexpr const char* kNewLock = "_lock";         // a module's
constexpr const char* kNewClassLock = "__lock";   // a class's: Python mangles it to `_Class__lock`, so no base
                                                  // or subclass attribute of that name can clash with it
constexpr const char* kFactory = "threading.RLock()";

enum class Holder : uint8_t { Instance, Class, Module };

// How the statement's function reaches the state the finding is about.
struct Receiver {
  Holder holder = Holder::Module;
  std::string prefix;  // "self.", "cls.", "type(self).", "" for a module global
  int32_t cls = -1;    // the method's class
};

std::optional<Receiver> receiver_of(const Project& p, AccessRef at) {
  const Access& a = p.access(at);
  const Scope& s = p.module(at.module).scopes[static_cast<size_t>(a.scope)];
  const int32_t loc = p.location_of(at);
  if (s.kind != ScopeKind::Function || s.is_async || loc < 0) return std::nullopt;
  const Location& l = p.locations()[static_cast<size_t>(loc)];
  if (l.kind == LocationKind::Global) {
    if (l.owner != static_cast<int32_t>(at.module)) return std::nullopt;
    return Receiver{Holder::Module, "", -1};
  }
  const int32_t cls = p.scope_info(at.module, a.scope).class_id;
  if (!s.is_method || s.is_staticmethod || s.params.empty() || cls < 0) return std::nullopt;
  if (p.module(at.module).scopes[static_cast<size_t>(s.enclosing_class)].is_metaclass) return std::nullopt;
  const Place& place = p.place(at);
  const Root root = place.root;
  const std::string& first = s.params[0].name;
  // `self.x`, not `self.store.x`: another object's state wants that object's lock.
  if (place.path.empty() || place.path.find('.') != std::string::npos) return std::nullopt;
  if (root == Root::Self && l.kind == LocationKind::Instance && !s.is_classmethod)
    return Receiver{Holder::Instance, first + ".", cls};
  if (root == Root::Cls && l.kind == LocationKind::ClassAttr)
    return Receiver{Holder::Class, s.is_classmethod ? first + "." : "type(" + first + ").", cls};
  return std::nullopt;
}

// `cls` and its bases, nearest first.
std::vector<int32_t> lineage(const Project& p, int32_t cls) {
  std::vector<int32_t> out{cls};
  for (size_t i = 0; i < out.size() && out.size() < 64; ++i)
    for (int32_t b : p.classes()[static_cast<size_t>(out[i])].bases)
      if (b >= 0 && std::find(out.begin(), out.end(), b) == out.end()) out.push_back(b);
  return out;
}

bool in_lineage(const Project& p, int32_t cls, int32_t owner) {
  const std::vector<int32_t> l = lineage(p, cls);
  return std::find(l.begin(), l.end(), owner) != l.end();
}

// How the statement's function names the lock at `lock`; "" when it cannot.
std::string name_lock(const Project& p, AccessRef at, const Receiver& r, int32_t lock) {
  const Location& l = p.locations()[static_cast<size_t>(lock)];
  if (l.kind == LocationKind::Global) return l.owner == static_cast<int32_t>(at.module) ? l.name : "";
  if (r.holder == Holder::Module || !in_lineage(p, r.cls, l.owner)) return "";
  // `self.__lock` of a base is `_Base__lock`: in another class the name means another attribute.
  const bool mangled = l.name.size() > 2 && l.name.compare(0, 2, "__") == 0 && l.name.compare(l.name.size() - 2, 2, "__") != 0;
  if (mangled && l.owner != r.cls) return "";
  if (l.kind == LocationKind::Instance && r.holder == Holder::Instance) return r.prefix + l.name;
  if (l.kind == LocationKind::ClassAttr) return r.prefix + l.name;
  return "";
}

// A semaphore lets several threads in: no lock for a fix.
bool semaphore_name(const std::string& name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  return lower.find("sem") != std::string::npos;
}

bool has(const std::vector<int32_t>& sorted, int32_t lock) { return std::binary_search(sorted.begin(), sorted.end(), lock); }

// Is `lock` taken inside one of the regions already, or by a function called
// there (directly or through its own calls)? A plain Lock would deadlock.
// The accesses of a region's statements are next to each other in the facts
// (lowering emits them statement by statement), around its access.
bool taken_inside(const Project& p, const std::vector<Region>& regions, int32_t lock) {
  if (lock < 0) return false;
  std::vector<std::pair<uint32_t, int32_t>> todo;
  for (const Region& r : regions) {
    const ModuleFacts& m = p.module(r.in.module);
    const int32_t scope = m.accesses[r.in.access].scope;
    auto inside = [&](uint32_t i) { return contains(r.span, m.accesses[i].stmt); };
    for (uint32_t i = r.in.access; i < m.accesses.size() && inside(i); ++i)
      if (has(p.locks_at({r.in.module, i}), lock)) return true;
    for (uint32_t i = r.in.access; i-- > 0 && inside(i);)
      if (has(p.locks_at({r.in.module, i}), lock)) return true;
    for_each_call_in(m, scope, r.span, [&](const Call& c) {
      for (const auto& t : p.resolve_call(r.in.module, scope, c.callee)) todo.push_back(t);
    });
  }
  std::set<std::pair<uint32_t, int32_t>> seen;
  for (size_t i = 0; i < todo.size() && seen.size() < 64; ++i) {
    const auto [m, s] = todo[i];
    if (!seen.insert(todo[i]).second) continue;
    if (has(p.locks_taken(m, s), lock)) return true;
    for (const auto& [cm, cs] : p.callees(m, s)) todo.push_back({cm, cs});
  }
  return false;
}

// 1. The lock most of `guarded` hold.
std::optional<LockPlan> guarding_lock(const Project& p, AccessRef at, const Receiver& r,
                                      const std::vector<AccessRef>& guarded, const std::vector<Region>& regions) {
  std::map<int32_t, size_t> held;  // lock -> how many of `guarded` hold it
  for (const AccessRef& g : guarded)
    for (int32_t lock : p.locks_at(g)) ++held[lock];
  int32_t best = -1;
  size_t most = 0;
  for (const auto& [lock, n] : held)
    if (n > most && !name_lock(p, at, r, lock).empty()) best = lock, most = n;
  if (best < 0 || taken_inside(p, regions, best)) return std::nullopt;
  return LockPlan{name_lock(p, at, r, best), "which guards `" + p.access(at).text + "` elsewhere", {}};
}

// 2. A lock of the class (or a base), or of the module for a module global.
std::optional<LockPlan> own_lock(const Project& p, AccessRef at, const Receiver& r, const std::vector<Region>& regions) {
  std::vector<int32_t> candidates;  // lock locations, in order of preference
  if (r.holder == Holder::Module) {
    for (int32_t loc : p.lock_globals_of(at.module))
      if (!semaphore_name(p.locations()[static_cast<size_t>(loc)].name)) candidates.push_back(loc);
  } else {
    // Instance locks before class-level ones (for an instance's state), one
    // called `_lock` or `lock` first, then the shorter name.
    std::vector<std::tuple<bool, bool, size_t, std::string, int32_t>> ranked;
    for (int32_t c : lineage(p, r.cls)) {
      const ClassInfo& info = p.classes()[static_cast<size_t>(c)];
      for (const std::string& name : info.lock_attrs) {
        if (semaphore_name(name)) continue;
        const bool class_level = info.class_attrs.count(name) > 0;
        if (r.holder == Holder::Class && !class_level) continue;
        const int32_t loc = p.find_location(class_level ? LocationKind::ClassAttr : LocationKind::Instance, c, name);
        if (loc >= 0) ranked.emplace_back(class_level, name != "_lock" && name != "lock", name.size(), name, loc);
      }
    }
    std::sort(ranked.begin(), ranked.end());
    for (const auto& entry : ranked) candidates.push_back(std::get<4>(entry));
  }
  for (int32_t loc : candidates) {
    const std::string text = name_lock(p, at, r, loc);
    if (text.empty() || taken_inside(p, regions, loc)) continue;
    return LockPlan{text, r.holder == Holder::Module ? "the module's lock" : "the class's lock", {}};
  }
  return std::nullopt;
}

// A first statement for the body of scope `sid` (docstring excepted).
std::optional<Edit> first_statement(const ModuleFacts& m, int32_t sid, const std::string& statement) {
  const auto it = std::lower_bound(m.body_starts.begin(), m.body_starts.end(), sid,
                                   [](const BodyStart& b, int32_t s) { return b.scope < s; });
  if (it == m.body_starts.end() || it->scope != sid) return std::nullopt;
  return Edit{Span{it->line, 1, it->line, 1}, std::string(it->indent, ' ') + statement + "\n"};
}

bool imports_threading(const ModuleFacts& m) {
  return std::any_of(m.imports.begin(), m.imports.end(), [](const Import& i) { return i.alias == "threading"; });
}

// `import threading` after the module's leading imports (or before its
// first statement).
std::optional<Edit> import_edit(const ModuleFacts& m) {
  if (m.import_end_line) return Edit{Span{m.import_end_line + 1, 1, m.import_end_line + 1, 1}, "import threading\n"};
  return first_statement(m, 0, "import threading");
}

// Has the class (a base) or the module a lock of its own, usable here or not?
bool has_own_lock(const Project& p, AccessRef at, const Receiver& r) {
  if (r.holder == Holder::Module) return !p.lock_globals_of(at.module).empty();
  for (int32_t c : lineage(p, r.cls))
    if (!p.classes()[static_cast<size_t>(c)].lock_attrs.empty()) return true;
  return false;
}

// 3. A new reentrant lock.
std::optional<LockPlan> new_lock(const Project& p, AccessRef at, const Receiver& r) {
  const ModuleFacts& mod = p.module(at.module);
  LockPlan plan;
  if (r.holder == Holder::Module) {
    if (p.find_location(LocationKind::Global, static_cast<int32_t>(at.module), kNewLock) >= 0 || !mod.first_def_line)
      return std::nullopt;
    const uint32_t line = mod.first_def_line;
    plan.setup.push_back({Span{line, 1, line, 1}, std::string(kNewLock) + " = " + kFactory + "\n\n\n"});
    plan.text = kNewLock;
    plan.why = "a new module lock";
  } else {
    const ClassInfo& cls = p.classes()[static_cast<size_t>(r.cls)];
    if (cls.written_attrs.count(kNewClassLock) || cls.class_attrs.count(kNewClassLock)) return std::nullopt;
    if (cls.module != static_cast<int32_t>(at.module)) return std::nullopt;
    for (const std::string& b : cls.base_names)
      if (b.find("Enum") != std::string::npos || b.find("NamedTuple") != std::string::npos) return std::nullopt;
    // A class attribute, not one per instance: an instance lock would make the
    // objects unpicklable and uncopyable, fail in a subclass whose __init__
    // does not call this one's, and not fit __slots__.
    std::optional<Edit> made = first_statement(mod, cls.scope, std::string(kNewClassLock) + " = " + kFactory);
    plan.why = "a new lock of the class, shared by its instances";
    if (!made) return std::nullopt;
    plan.setup.push_back(std::move(*made));
    plan.text = r.prefix + kNewClassLock;
  }
  if (!imports_threading(mod)) {
    std::optional<Edit> imp = import_edit(mod);
    if (!imp || imp->range.line > plan.setup.front().range.line) return std::nullopt;
    if (imp->range.line == plan.setup.front().range.line) plan.setup.front().content.insert(0, imp->content);
    else plan.setup.insert(plan.setup.begin(), std::move(*imp));
  }
  return plan;
}

}  // namespace

std::optional<LockPlan> plan_lock(const Project& p, AccessRef at, const std::vector<AccessRef>& guarded,
                                  const std::vector<Region>& regions) {
  const std::optional<Receiver> r = receiver_of(p, at);
  if (!r) return std::nullopt;
  for (const Region& g : regions) {  // every wrapped function names the lock alike
    const std::optional<Receiver> other = receiver_of(p, g.in);
    if (!other || other->prefix != r->prefix || other->cls != r->cls) return std::nullopt;
  }
  if (auto plan = guarding_lock(p, at, *r, guarded, regions)) return plan;
  if (auto plan = own_lock(p, at, *r, regions)) return plan;
  if (has_own_lock(p, at, *r)) return std::nullopt;  // not a second one (its own cannot be used here)
  return new_lock(p, at, *r);
}

}  // namespace raceaudit
