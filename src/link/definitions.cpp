// Linking: what writes teach: lock and thread-local attributes and globals,
// attribute types, properties, module singletons and class aliases.
#include "link/project.h"

#include <algorithm>

#include "link/link_util.h"
#include "models/threading_apis.h"

namespace raceaudit {

// Does a call of `written` (in module m) make a lock? Judged by what the name
// is bound to: an import (`from threading import Lock as L`: the imported
// name, or the name as written, since a fallback import may rebind it:
// `import dummy_threading as threading`), else the name itself unless it is a
// project class (a project's own `Lock`).
bool Project::is_lock_factory(uint32_t m, const std::string& written) const {
  bool project_class = false;
  const std::string callee = qualified_callee(m, written, project_class);
  if (!project_class && (raceaudit::is_lock_factory(callee) || raceaudit::is_lock_factory(written) ||
                         raceaudit::named_lock_factory(written)))
    return true;
  for (const auto& k : options_.extra_lock_factories)
    if (callee == k || written == k || last_part(callee) == k) return true;
  return false;
}

bool Project::is_tls_factory(uint32_t m, const std::string& written) const {
  bool project_class = false;
  const std::string callee = qualified_callee(m, written, project_class);
  return !project_class && (is_thread_local_factory(callee) || is_thread_local_factory(written));
}

// A class that defines both `__getattr__` and `__setattr__`: with a
// `threading.local()` of its own, a per-thread proxy (hypothesis's
// `ThreadLocal(global_test_counter=0)`), whose attributes are each thread's.
bool Project::forwards_attributes(int32_t cls) const {
  const ClassInfo& c = classes_[static_cast<size_t>(cls)];
  const auto& fns = module_functions_[static_cast<size_t>(c.module)];
  const std::string& q = modules_[static_cast<size_t>(c.module)].scopes[static_cast<size_t>(c.scope)].qualname;
  return fns.count(q + ".__getattr__") && fns.count(q + ".__setattr__");
}

void Project::collect_class_aliases() {
  // `Directory = files.Directory` at module level names the same class, when
  // the name is bound once (`_loggerClass = Logger` rebound by a setter is a
  // variable). In rounds, so that an alias of an alias resolves too.
  std::vector<std::unordered_map<std::string, int>> writes(modules_.size());
  for (uint32_t m = 0; m < modules_.size(); ++m)
    for (const Access& a : modules_[m].accesses) {
      const Place& pl = modules_[m].places[a.place];
      if ((a.kind == AccessKind::Write || a.kind == AccessKind::ReadModifyWrite) && pl.root == Root::Global &&
          pl.path.empty())
        ++writes[m][pl.root_name];
    }
  for (int round = 0; round < 4; ++round) {
    bool changed = false;
    for (uint32_t m = 0; m < modules_.size(); ++m)
      for (const Access& a : modules_[m].accesses) {
        const Place& pl = modules_[m].places[a.place];
        if (a.kind != AccessKind::Write || a.value != ValueKind::Name || pl.root != Root::Global || !pl.path.empty() ||
            a.scope != 0 || writes[m][pl.root_name] != 1 || module_class_aliases_[m].count(pl.root_name))
          continue;
        if (const int32_t c = resolve_class_name(m, modules_[m].value_text(a)); c >= 0) {
          module_class_aliases_[m][pl.root_name] = c;
          changed = true;
        }
      }
    if (!changed) break;
  }
}

namespace {

// Some function of the module uses the global `name` as an object (`name.x`,
// `name[k]`, `name.f()`; lowering records no bare reads).
bool used_in_functions(const ModuleFacts& mf, const std::string& name) {
  for (const Access& a : mf.accesses) {
    const Place& pl = mf.places[a.place];
    if (a.kind != AccessKind::Write && pl.root == Root::Global && pl.root_name == name &&
        mf.scopes[static_cast<size_t>(a.scope)].kind == ScopeKind::Function)
      return true;
  }
  for (const Call& c : mf.calls) {
    const Place& pl = mf.places[c.callee];
    if (pl.root == Root::Global && pl.root_name == name && mf.scopes[static_cast<size_t>(c.scope)].kind == ScopeKind::Function)
      return true;
  }
  return false;
}

}  // namespace

void Project::collect_definitions() {
  collect_class_aliases();
  infer_param_types();
  for (uint32_t m = 0; m < modules_.size(); ++m) {
    const ModuleFacts& mf = modules_[m];
    for (size_t s = 0; s < mf.scopes.size(); ++s) {
      const Scope& sc = mf.scopes[s];
      if (sc.kind == ScopeKind::Function && sc.is_property && sc.property_returns) {
        const int32_t cls = scope_info_[m][s].class_id;
        if (cls >= 0) classes_[static_cast<size_t>(cls)].properties[sc.name] = mf.property_returns(sc);
      }
    }
    for (const Access& a : mf.accesses) {
      if (a.kind != AccessKind::Write && a.kind != AccessKind::ReadModifyWrite) continue;
      const Place& pl = mf.places[a.place];
      const int32_t cls = scope_info_[m][static_cast<size_t>(a.scope)].class_id;
      const bool single_attr = !pl.path.empty() && pl.path.find('.') == std::string::npos;
      if (pl.root == Root::Self && single_attr && cls >= 0) classes_[static_cast<size_t>(cls)].written_attrs.insert(pl.path);
      if (pl.root == Root::Cls && single_attr && cls >= 0) {
        // `x: int` / `x: int = 0` in a class body declares an instance field
        // (dataclasses, attrs, NamedTuple), unless it says ClassVar.
        const Scope& body = mf.scopes[static_cast<size_t>(a.scope)];
        const bool field_decl = body.kind == ScopeKind::Class && body.is_record && a.type_hint &&
                                mf.type_hint(a).find("ClassVar") == std::string::npos;
        (field_decl ? classes_[static_cast<size_t>(cls)].written_attrs : classes_[static_cast<size_t>(cls)].class_attrs)
            .insert(pl.path);
      }
      if (a.kind != AccessKind::Write) continue;
      const std::string& callee = mf.value_text(a);
      const bool is_call = a.value == ValueKind::Call;
      if (pl.root == Root::Global && pl.path.empty()) {
        if (is_call && is_lock_factory(m, callee)) lock_globals_.insert(global_key(m, pl.root_name));
        if (is_call && is_tls_factory(m, callee)) tls_globals_.insert(global_key(m, pl.root_name));
        if (is_call && mf.scopes[static_cast<size_t>(a.scope)].kind == ScopeKind::Module) {
          const int32_t c = resolve_class_name(m, callee);
          if (c >= 0) {
            module_singletons_[m][pl.root_name] = c;
            // `_check: Proto = Impl()`, made only for a type checker to see that
            // Impl satisfies Proto, is no one's object.
            const bool type_check = link_util::is_private_name(pl.root_name) && a.type_hint &&
                                    !used_in_functions(mf, pl.root_name);
            if (!type_check) note_holder(c, -1);
          }
        } else if (is_call) {
          // `global _pool; _pool = Pool(...)` in set-up: a singleton made lazily.
          if (const int32_t c = resolve_class_name(m, callee); c >= 0) note_holder(c, -1);
        }
        if (is_call && is_lock_factory(m, callee)) module_has_lock_[m] = true;
        continue;
      }
      if ((pl.root == Root::Self || pl.root == Root::Cls) && single_attr) {
        if (is_call && is_lock_factory(m, callee)) {
          lock_attr_names_.insert(pl.path);
          if (cls >= 0) {
            classes_[static_cast<size_t>(cls)].has_lock = true;
            classes_[static_cast<size_t>(cls)].lock_attrs.insert(pl.path);
          }
        }
        const bool tls = is_call && is_tls_factory(m, callee);
        if (tls) tls_attr_names_.insert(pl.path);
        if (cls < 0) continue;
        ClassInfo& ci = classes_[static_cast<size_t>(cls)];
        if (tls && pl.root == Root::Self && forwards_attributes(cls)) ci.is_thread_local = true;
        int32_t type = -1;
        if (a.type_hint) type = class_from_annotation(m, mf.type_hint(a));
        if (type < 0 && is_call) type = resolve_class_name(m, callee);
        if (type < 0 && is_call) {
          // `self._parser = parser_class(...)` with `parser_class=DefaultParser`.
          for (const Param& p : mf.scopes[static_cast<size_t>(a.scope)].params)
            if (p.name == callee && !p.default_name.empty()) type = resolve_class_name(m, p.default_name);
        }
        // self.fs = fs, where the parameter is annotated.
        if (type < 0 && a.value == ValueKind::Name) type = annotated_param_class(m, a.scope, mf.value_text(a));
        // `self.pools: Container[Key, Pool]`: the attribute holds Pools as well.
        if (a.type_hint && pl.root == Root::Self)
          for (int32_t held : classes_in_annotation(m, mf.type_hint(a)))
            if (held != cls && held != type) note_holder(held, cls);
        if (type >= 0 && !ci.attr_types.count(pl.path)) {
          ci.attr_types[pl.path] = type;
          // Made by a run-time method (`self.rfile = Wrapper(...)` per
          // request): held only while its holder is set up, decided with
          // the call graph (compute_sharing).
          const bool made_here = is_call && !a.type_hint;
          if (type != cls && made_here) made_by_holders_.push_back({m, a.scope, type});
          // `Cls.x = C()` is one object for every instance; `x: C | None = None`
          // in a class body declares an instance attribute.
          else if (type != cls) note_holder(type, pl.root == Root::Cls && is_call ? -1 : cls);
        }
      }
    }
  }
  infer_param_types_from_attributes();
}

}  // namespace raceaudit
