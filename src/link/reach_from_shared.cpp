// Linking: which classes' instances are reached from state that every
// thread can reach (docs/analysis-model.md, "Sharing by reach"). The roots are
// instances the module holds (a singleton, a class attribute, a decorator's
// object), classes that show thread intent (a lock, a thread, a callback
// handed out, declared shared) and hubs (held by instances of two or more
// unrelated classes, like a filesystem every file object points to). A class
// is reached when a reached class holds it, or when a base or subclass is
// reached (their methods run on the same objects). A class held only by
// objects nothing shares (a response's read buffer) is not.
#include <algorithm>

#include "link/project.h"
#include "models/container_ops.h"

namespace raceaudit {
namespace {

bool related(const std::vector<ClassInfo>& cs, int32_t a, int32_t b) {
  auto is_base = [&](int32_t c, int32_t base) {
    const auto& bs = cs[static_cast<size_t>(c)].bases;
    return std::find(bs.begin(), bs.end(), base) != bs.end();
  };
  return a == b || is_base(a, b) || is_base(b, a);
}

bool value_container(const ClassInfo& c) {
  for (const std::string& b : c.base_names)
    if (is_container_base(b)) return true;
  return false;
}

// `class NewConnectionError(ConnectTimeoutError)`: an exception, through
// project bases or a builtin one (`Exception`, `OSError`, `...Error`).
bool is_exception_class(const std::vector<ClassInfo>& cs, int32_t id) {
  std::vector<int32_t> stack{id};
  for (size_t i = 0; i < stack.size() && i < 64; ++i) {
    const ClassInfo& c = cs[static_cast<size_t>(stack[i])];
    for (const std::string& b : c.base_names) {
      const std::string_view n = std::string_view(b).substr(b.rfind('.') == std::string::npos ? 0 : b.rfind('.') + 1);
      auto ends = [&](std::string_view suffix) {
        return n.size() >= suffix.size() && n.substr(n.size() - suffix.size()) == suffix;
      };
      if (ends("Exception") || ends("Error") || ends("Warning") || n == "BaseException") return true;
    }
    stack.insert(stack.end(), c.bases.begin(), c.bases.end());
  }
  return false;
}

bool is_root(const ClassInfo& c) {
  return c.held_by_module || c.has_lock || c.thread_target || c.declared_shared || c.starts_threads ||
         c.callback.method >= 0 || c.hub || c.holds_locking >= 0;
}

}  // namespace

// `sys.meta_path.insert(0, self._finder)`, `_registry.append(self)`,
// `other_module.hook = self`, `_handlers.append(handler)` with an annotated
// parameter: an instance stored into module-level state is
// reached by every thread that reaches that state.
void Project::note_published_instances() {
  for (uint32_t m = 0; m < modules_.size(); ++m) {
    const ModuleFacts& mf = modules_[m];
    for (const Access& a : mf.accesses) {
      const Place& pl = mf.places[a.place];
      const bool stores = (a.kind == AccessKind::Mutate && (a.op == Op::SetItem || appends_item(a.op) || a.op == Op::Add)) ||
                          (a.kind == AccessKind::Write && !pl.path.empty());
      if (!stores || pl.root != Root::Global || !a.value_text) continue;
      const int32_t cls = scope_info_[m][static_cast<size_t>(a.scope)].class_id;
      const std::string& v = mf.value_text(a);
      int32_t held = annotated_param_class(m, a.scope, v);  // `_handlers.append(handler)`
      if (v == "self") held = cls;
      if (cls >= 0 && v.rfind("self.", 0) == 0) held = attr_type(cls, v.substr(5));
      if (held >= 0) note_holder(held, -1);
    }
  }
}

void Project::compute_reach_from_shared() {
  note_published_instances();
  // Who each class holds, the reverse of `holders`. (A shared object's method
  // that takes a C as an argument works on its caller's C: parameters do not
  // carry sharing, attributes do.)
  std::vector<std::vector<int32_t>> holds(classes_.size());
  for (size_t i = 0; i < classes_.size(); ++i)
    for (int32_t h : classes_[i].holders) holds[static_cast<size_t>(h)].push_back(static_cast<int32_t>(i));
  std::vector<int32_t> work;
  for (size_t i = 0; i < classes_.size(); ++i) {
    ClassInfo& c = classes_[i];
    // An exception that carries the object (`self.conn = conn`) is raised to
    // the one thread that hit the error: it shares nothing.
    std::vector<int32_t> holders;
    for (int32_t h : c.holders)
      if (!is_exception_class(classes_, h)) holders.push_back(h);
    size_t unrelated = 0;
    for (size_t h = 0; h < holders.size(); ++h) {
      bool fresh = !related(classes_, holders[h], static_cast<int32_t>(i));
      for (size_t k = 0; k < h && fresh; ++k) fresh = !related(classes_, holders[h], holders[k]);
      unrelated += fresh ? 1 : 0;
    }
    c.hub = unrelated >= 2 && !value_container(c);
    // `self.pools = RecentlyUsedContainer()`, a container that locks for its
    // callers: the holder expects callers on several threads.
    for (int32_t h : holds[i])
      if (classes_[static_cast<size_t>(h)].has_lock && !related(classes_, h, static_cast<int32_t>(i))) c.holds_locking = h;
    if (c.confined || !is_root(c)) continue;
    c.reached_shared = true;
    work.push_back(static_cast<int32_t>(i));
  }
  // A class reached as the base of a shared class runs that object's code, and
  // its bases do; its other subclasses are other objects (`up` stops there).
  std::vector<bool> up(classes_.size(), false);
  auto reach = [&](int32_t to, int32_t from, bool hierarchy, bool going_up) {
    ClassInfo& c = classes_[static_cast<size_t>(to)];
    if (c.confined) return;
    if (c.reached_shared) {
      if (!going_up && up[static_cast<size_t>(to)]) {  // reached for itself after all: go on down
        up[static_cast<size_t>(to)] = false;
        work.push_back(to);
      }
      return;
    }
    c.reached_shared = true;
    c.shared_via = from;
    c.shared_via_hierarchy = hierarchy;
    up[static_cast<size_t>(to)] = going_up;
    work.push_back(to);
  };
  while (!work.empty()) {
    const int32_t c = work.back();
    work.pop_back();
    const ClassInfo& ci = classes_[static_cast<size_t>(c)];
    for (int32_t held : holds[static_cast<size_t>(c)]) reach(held, c, false, false);
    // A lock of its own protects a class's own state, not its bases' code.
    const bool held = ci.held_by_module || ci.hub || ci.shared_via >= 0;
    if (held)
      for (int32_t b : ci.bases) reach(b, c, true, true);
    if (!up[static_cast<size_t>(c)])
      for (int32_t s : ci.subclasses) reach(s, c, true, false);
  }
}

}  // namespace raceaudit
