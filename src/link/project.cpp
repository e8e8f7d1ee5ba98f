// Linking: joins per-module facts into the project-wide view (see project.h).
// Every step is a pass over arrays with hash lookups; nothing compares all
// pairs of accesses. This file: the stages in order, the indexes, module lookup.
#include "link/project.h"

#include <algorithm>

#include "link/link_util.h"

namespace raceaudit {

Project::Project(std::vector<ModuleFacts> modules, LinkOptions options)
    : modules_(std::move(modules)), options_(std::move(options)) {
  index_modules();
  index_classes();
  resolve_bases();
  collect_definitions();
  resolve_accesses();
  drop_helper_iterations();
  resolve_locks();
  index_accesses_by_location();
  build_call_graph();
  compute_loop_confinement();
  compute_thread_reach();
  compute_lifecycle();
  compute_sharing();
  compute_guards_and_owners();
}

void Project::index_modules() {
  const size_t n = modules_.size();
  module_classes_.resize(n);
  module_functions_.resize(n);
  module_imports_.resize(n);
  star_imports_.resize(n);
  module_view_helpers_.resize(n);
  module_singletons_.resize(n);
  module_class_aliases_.resize(n);
  scope_info_.resize(n);
  module_has_lock_.assign(n, false);
  module_starts_threads_.assign(n, false);
  for (uint32_t m = 0; m < n; ++m) {
    const ModuleFacts& mf = modules_[m];
    module_ids_.emplace(mf.module_name, m);
    for (const Import& imp : mf.imports) {
      if (imp.name == "*") star_imports_[m].push_back(imp.module);
      else module_imports_[m][imp.alias] = &imp;
    }
    for (const ViewHelper& h : mf.view_helpers) module_view_helpers_[m].emplace(h.name, h.param);
    scope_info_[m].resize(mf.scopes.size());
    for (size_t s = 0; s < mf.scopes.size(); ++s)
      if (mf.scopes[s].kind == ScopeKind::Function) module_functions_[m][mf.scopes[s].qualname] = static_cast<int32_t>(s);
  }
}

void Project::index_classes() {
  for (uint32_t m = 0; m < modules_.size(); ++m) {
    const ModuleFacts& mf = modules_[m];
    for (size_t s = 0; s < mf.scopes.size(); ++s) {
      const Scope& sc = mf.scopes[s];
      if (sc.kind != ScopeKind::Class) continue;
      ClassInfo c;
      c.module = static_cast<int32_t>(m);
      c.scope = static_cast<int32_t>(s);
      c.name = sc.name;
      c.qualname = mf.module_name.empty() ? sc.qualname : mf.module_name + "." + sc.qualname;
      c.base_names = sc.bases;
      for (const auto& d : options_.shared_classes)
        if (d == c.name || d == c.qualname || d == sc.qualname) c.declared_shared = true;
      for (const auto& d : options_.confined_classes)
        if (d == c.name || d == c.qualname || d == sc.qualname) c.confined = true;
      module_classes_[m][sc.qualname] = static_cast<int32_t>(classes_.size());
      classes_.push_back(std::move(c));
    }
    for (size_t s = 0; s < mf.scopes.size(); ++s) {
      auto& info = scope_info_[m][s];
      const int32_t ec = mf.scopes[s].enclosing_class;
      if (ec >= 0) {
        auto it = module_classes_[m].find(mf.scopes[static_cast<size_t>(ec)].qualname);
        if (it != module_classes_[m].end()) info.class_id = it->second;
      }
    }
  }
}

std::string Project::global_key(uint32_t m, const std::string& name) const {
  const std::string& mod = modules_[m].module_name;
  return mod.empty() ? name : mod + "." + name;
}

// A module by dotted name; failing that, by the longest suffix of the name
// that is a known module (the scan root lies inside a package, or a
// namespace package without __init__.py left the prefix off).
int32_t Project::find_module(const std::string& dotted) const {
  for (size_t from = 0; from < dotted.size();) {
    if (auto it = module_ids_.find(from == 0 ? dotted : dotted.substr(from)); it != module_ids_.end())
      return static_cast<int32_t>(it->second);
    const size_t dot = dotted.find('.', from);
    if (dot == std::string::npos) break;
    from = dot + 1;
  }
  return -1;
}

// The callee of a call written in module m, with its import resolved:
// `L` after `from threading import Lock as L` is `threading.Lock`.
// `project_class` says that a name bound by no import is a class of the
// project (a project's own `Lock`), which no model of the library describes.
std::string Project::qualified_callee(uint32_t m, const std::string& callee, bool& project_class) const {
  const std::string head = first_part(callee);
  auto imp = module_imports_[m].find(head);
  if (imp == module_imports_[m].end()) {
    project_class = resolve_class_name(m, callee) >= 0;
    return callee;
  }
  project_class = false;
  const Import& i = *imp->second;
  const std::string base = i.name.empty() ? i.module : i.module + "." + i.name;
  return base + callee.substr(head.size());
}

// A write of `True`, `False`, `None`, a string literal (`"h2"`, `["h2"]`) or a name the module binds at import
// (an import, a module-level class, function or global), not of an argument.
bool Project::stores_fixed_value(AccessRef r) const {
  const Access& a = access(r);
  if (a.value == ValueKind::True || a.value == ValueKind::False || a.value == ValueKind::None ||
      a.value == ValueKind::Constant)
    return true;
  if (a.value != ValueKind::Name) return false;
  const ModuleFacts& mf = modules_[r.module];
  const std::string head = first_part(mf.value_text(a));
  for (const Param& p : mf.scopes[static_cast<size_t>(a.scope)].params)
    if (p.name == head) return false;
  if (module_imports_[r.module].count(head) || module_classes_[r.module].count(head) ||
      module_functions_[r.module].count(head))
    return true;
  const int32_t loc = find_location(LocationKind::Global, static_cast<int32_t>(r.module), head);
  if (loc < 0) return false;
  for (const AccessRef& o : by_location_[static_cast<size_t>(loc)])
    if (access(o).kind == AccessKind::Write && at_import_time(o)) return true;
  return false;
}

bool Project::in_instance_init(AccessRef r) const { return scope_info(r.module, access(r).scope).instance_init; }

bool Project::at_import_time(AccessRef r) const { return scope_info(r.module, access(r).scope).import_time; }

bool Project::in_private_phase(AccessRef r) const {
  const int32_t loc = location_of(r);
  const LocationKind k = loc >= 0 ? locations_[static_cast<size_t>(loc)].kind : LocationKind::Unresolved;
  if (k == LocationKind::ClassAttr || k == LocationKind::Global) return at_import_time(r);
  if (is_own_attribute_place(place(r)) && in_instance_init(r)) return true;
  return at_import_time(r) && modules_[r.module].scopes[static_cast<size_t>(access(r).scope)].kind != ScopeKind::Function;
}

void Project::compute_sharing() {
  // A class that takes a lock anywhere in its methods means to be thread safe.
  for (uint32_t m = 0; m < modules_.size(); ++m) {
    const ModuleFacts& mf = modules_[m];
    for (size_t i = 0; i < mf.accesses.size(); ++i) {
      const Access& a = mf.accesses[i];
      if (locksets_[access_locks_[m][i]].empty()) continue;
      const int32_t cls = scope_info_[m][static_cast<size_t>(a.scope)].class_id;
      if (cls >= 0) classes_[static_cast<size_t>(cls)].has_lock = true;
      else module_has_lock_[m] = true;
    }
    for (size_t i = 0; i < mf.calls.size(); ++i) {
      const Call& c = mf.calls[i];
      if (locksets_[call_locks_[m][i]].empty()) continue;
      const int32_t cls = scope_info_[m][static_cast<size_t>(c.scope)].class_id;
      if (cls >= 0) classes_[static_cast<size_t>(cls)].has_lock = true;
      else module_has_lock_[m] = true;
    }
  }
  // An instance its holder makes while being set up lives as long as the
  // holder and is reached by whoever reaches it; one made per call of a
  // run-time method belongs to that call.
  for (const MadeByHolder& h : made_by_holders_)
    if (const ScopeInfo& si = scope_info_[h.module][static_cast<size_t>(h.scope)]; si.instance_init)
      note_holder(h.type, si.class_id);
  // `@Memo` on a module-level function or a method makes one Memo per
  // decorated function, held by the module or the class: every caller shares it.
  for (uint32_t m = 0; m < modules_.size(); ++m) {
    const ModuleFacts& mf = modules_[m];
    for (const Scope& sc : mf.scopes) {
      if (sc.kind != ScopeKind::Function || !sc.decorator || sc.parent < 0 ||
          mf.scopes[static_cast<size_t>(sc.parent)].kind == ScopeKind::Function)
        continue;
      if (const int32_t c = resolve_class_name(m, mf.decorator(sc)); c >= 0) note_holder(c, -1);
    }
  }
  // Thread-safety intent is inherited.
  for (int round = 0; round < 8; ++round) {
    bool changed = false;
    for (auto& c : classes_)
      for (int32_t b : c.bases) {
        const ClassInfo& base = classes_[static_cast<size_t>(b)];
        if (base.has_lock && !c.has_lock) c.has_lock = changed = true;
        if (base.declared_shared && !c.declared_shared) c.declared_shared = changed = true;
      }
    if (!changed) break;
  }
  compute_reach_from_shared();
}

// `held` is kept in an attribute of an instance of `holder`; -1: by the
// module (a singleton, a class attribute, a decorator).
void Project::note_holder(int32_t held, int32_t holder) {
  ClassInfo& c = classes_[static_cast<size_t>(held)];
  if (holder < 0) c.held_by_module = true;
  else if (std::find(c.holders.begin(), c.holders.end(), holder) == c.holders.end()) c.holders.push_back(holder);
}

int32_t Project::annotated_param_class(uint32_t m, int32_t scope, const std::string& name) const {
  for (const Param& p : modules_[m].scopes[static_cast<size_t>(scope)].params)
    if (p.name == name && !p.annotation.empty()) return class_from_annotation(m, p.annotation);
  return inferred_param_class(m, scope, name);
}

bool Project::some_write_calls(int32_t location, bool (*made_by)(std::string_view callee)) const {
  for (const AccessRef& o : accesses_of(location)) {
    const Access& w = access(o);
    if (w.kind == AccessKind::Write && w.value == ValueKind::Call && made_by(modules_[o.module].value_text(w)))
      return true;
  }
  return false;
}

const std::string& Project::qualname_of(AccessRef r) const {
  const ModuleFacts& mf = modules_[r.module];
  const Scope& s = mf.scopes[static_cast<size_t>(access(r).scope)];
  return s.kind == ScopeKind::Module ? mf.module_name : s.qualname;
}

}  // namespace raceaudit
