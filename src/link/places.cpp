// Linking: places resolved to project-wide locations (the same attribute
// reached from different methods, receivers or files is one location).
#include "link/project.h"

#include <algorithm>

#include "link/link_util.h"

namespace raceaudit {

bool Project::attr_is_thread_local(int32_t cls, const std::string& attr) const {
  (void)cls;
  return tls_attr_names_.count(attr) > 0;
}

static std::string location_key(LocationKind k, int32_t owner, const std::string& name) {
  std::string key;
  key += static_cast<char>('0' + static_cast<int>(k));
  key += std::to_string(owner);
  key += ':';
  key += name;
  return key;
}

int32_t Project::intern_location(LocationKind k, int32_t owner, const std::string& name, const std::string& display) {
  const bool by_display = k == LocationKind::Unresolved || k == LocationKind::Path;
  auto [it, fresh] = location_ids_.emplace(location_key(k, owner, by_display ? display : name),
                                           static_cast<int32_t>(locations_.size()));
  if (fresh) locations_.push_back(Location{k, owner, name, display});
  return it->second;
}

int32_t Project::find_location(LocationKind k, int32_t owner, const std::string& name) const {
  auto it = location_ids_.find(location_key(k, owner, name));
  return it == location_ids_.end() ? -1 : it->second;
}

// Follows an attribute chain from a class: `fs.last_ino` from Store's view.
// Returns the class that holds the last attribute (or -1) and that attribute.
static std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    const size_t dot = path.find('.', start);
    parts.push_back(path.substr(start, dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return parts;
}

int32_t Project::resolve_access(uint32_t m, const Access& a) {
  return resolve_place(m, a.scope, a.place, a.kind, a.op, a.text);
}

// The location of a place seen from a scope; `kind` and `op` say how it is
// touched (rebinding an imported name is a write to this module's global),
// `text` is how it is written (the name of an unresolved location).
int32_t Project::resolve_place(uint32_t m, int32_t scope, PlaceId id, AccessKind kind, Op op, const std::string& text) {
  const Place& a = place_of(m, id);
  const PlaceQuery q{m, scope, a, kind, op, text, a.path.empty() ? std::vector<std::string>{} : split_path(a.path)};
  const ScopeInfo& si = scope_info_[m][static_cast<size_t>(scope)];
  switch (a.root) {
    case Root::Path:
      return intern_location(LocationKind::Path, -1, a.root_name, a.root_name);
    case Root::Self:
      return q.parts.empty() ? -1 : from_instance(q, si.class_id, 0);  // `self` itself is no location
    case Root::Cls: {
      if (q.parts.empty() || si.class_id < 0) return -1;
      const ClassInfo& ci = classes_[static_cast<size_t>(si.class_id)];
      if (ci.confined) return -1;
      if (q.parts.size() == 1)
        return intern_location(LocationKind::ClassAttr, si.class_id, q.parts[0], ci.name + "." + q.parts[0]);
      return from_instance(q, -1, 1);
    }
    case Root::Global:
      return resolve_global(q);
    case Root::Param: {
      const int32_t cls = annotated_param_class(m, scope, a.root_name);
      return q.parts.empty() ? -1 : from_instance(q, cls, 0);  // rebinding a parameter is local
    }
    case Root::Element:
      return q.parts.empty() ? -1 : intern_location(LocationKind::Unresolved, -1, q.parts.back(), text);
    case Root::Returned:
      return resolve_returned(q);
    case Root::LockHelper:
      break;
  }
  return -1;
}

// Walks an attribute chain (from parts[from]) starting at an instance of `cls`
// (-1: unknown type).
int32_t Project::from_instance(const PlaceQuery& q, int32_t cls, size_t from) {
  const auto& parts = q.parts;
  for (size_t i = from; i < parts.size(); ++i) {
    std::string attr = parts[i];
    if (cls >= 0) {
      const ClassInfo& ci = classes_[static_cast<size_t>(cls)];
      if (ci.is_thread_local || ci.confined) return -1;
      bool per_thread = false;
      attr = property_target(cls, attr, &per_thread);
      if (per_thread) return -1;  // `self.data` returning `self._tls.data`
    }
    if (tls_attr_names_.count(attr) && i + 1 < parts.size()) return -1;  // self._tls.x
    if (i + 1 == parts.size()) {
      if (cls < 0) return intern_location(LocationKind::Unresolved, -1, attr, q.text);
      // `self.X` where X is only ever a class attribute is that class
      // attribute; rebinding it through an instance (`conn.timeout = t`)
      // makes an instance attribute and leaves the class's alone.
      const bool rebinds = q.kind == AccessKind::Write || q.kind == AccessKind::ReadModifyWrite;
      if (const int32_t holder = rebinds ? -1 : class_attr_holder(cls, attr); holder >= 0)
        return intern_location(LocationKind::ClassAttr, holder, attr, classes_[static_cast<size_t>(holder)].name + "." + attr);
      const int32_t owner = attr_owner(cls, attr);
      return intern_location(LocationKind::Instance, owner, attr, classes_[static_cast<size_t>(owner)].name + "." + attr);
    }
    cls = cls >= 0 ? attr_type(cls, attr) : -1;
  }
  return -1;
}

// A module-level name: a class (`Store.x`, `Outer.Inner.x`), an imported
// name or module, a global of this module, or an attribute of a singleton.
int32_t Project::resolve_global(const PlaceQuery& q) {
  const uint32_t m = q.module;
  const std::string& name = q.place.root_name;
  if (const int32_t cls = resolve_class_name(m, name); cls >= 0) return resolve_class_path(q, cls);
  if (auto imp = module_imports_[m].find(name); imp != module_imports_[m].end())
    if (const int32_t loc = resolve_imported(q, *imp->second); loc != kNotImported) return loc;
  if (tls_globals_.count(global_key(m, name))) return -1;
  if (q.parts.empty()) return intern_location(LocationKind::Global, static_cast<int32_t>(m), name, global_key(m, name));
  // An attribute of a module-level object: a singleton of a project class?
  if (auto s = module_singletons_[m].find(name); s != module_singletons_[m].end()) return from_instance(q, s->second, 0);
  return intern_location(LocationKind::Unresolved, -1, q.parts.back(), q.text);
}

// `Cls.attr`, with nested classes walked first (`Outer.Inner.attr`).
int32_t Project::resolve_class_path(const PlaceQuery& q, int32_t cls) {
  const auto& parts = q.parts;
  if (parts.empty()) return -1;
  int32_t owner = cls;
  size_t used = 0;
  while (used + 1 < parts.size()) {
    const ClassInfo& oc = classes_[static_cast<size_t>(owner)];
    const auto om = static_cast<size_t>(oc.module);
    const std::string nested = modules_[om].scopes[static_cast<size_t>(oc.scope)].qualname + "." + parts[used];
    auto it = module_classes_[om].find(nested);
    if (it == module_classes_[om].end()) break;
    owner = it->second;
    ++used;
  }
  const ClassInfo& ci = classes_[static_cast<size_t>(owner)];
  if (ci.confined) return -1;
  if (used + 1 == parts.size()) return intern_location(LocationKind::ClassAttr, owner, parts[used], ci.name + "." + parts[used]);
  return intern_location(LocationKind::Unresolved, -1, parts.back(), q.text);
}

// A name bound by an import; kNotImported when it is rebound here (then it
// is this module's global).
int32_t Project::resolve_imported(const PlaceQuery& q, const Import& imp) {
  const uint32_t m = q.module;
  const auto& parts = q.parts;
  const int32_t mod = resolve_module_alias(m, q.place.root_name);
  const bool rebinding = parts.empty() && (q.kind == AccessKind::Write || q.kind == AccessKind::ReadModifyWrite);
  if (mod >= 0 || imp.name.empty()) {
    // `import helpers` / `from pkg import helpers`: attributes are that module's globals.
    if (parts.empty())
      return rebinding ? intern_location(LocationKind::Global, static_cast<int32_t>(m), q.place.root_name,
                                         modules_[m].module_name + "." + q.place.root_name)
                       : -1;
    const std::string mname = mod >= 0 ? modules_[static_cast<size_t>(mod)].module_name
                                       : (imp.name.empty() ? imp.module : imp.module + "." + imp.name);
    if (parts.size() > 1) return intern_location(LocationKind::Unresolved, -1, parts.back(), q.text);
    if (tls_globals_.count(mname + "." + parts[0])) return -1;
    return intern_location(LocationKind::Global, mod, parts[0], mname + "." + parts[0]);
  }
  if (rebinding) return kNotImported;
  // `from ledger.hooks import HOOKS`: the same object as ledger.hooks.HOOKS.
  const int32_t target = find_module(imp.module);
  const std::string full = target >= 0 ? global_key(static_cast<uint32_t>(target), imp.name) : imp.module + "." + imp.name;
  if (tls_globals_.count(full)) return -1;
  if (parts.empty()) return intern_location(LocationKind::Global, target, imp.name, full);
  if (target >= 0)
    if (auto sg = module_singletons_[static_cast<size_t>(target)].find(imp.name);
        sg != module_singletons_[static_cast<size_t>(target)].end())
      return from_instance(q, sg->second, 0);
  return intern_location(LocationKind::Unresolved, -1, parts.back(), q.text);
}

// An object a call handed back (`row = self.table_for(k)`).
int32_t Project::resolve_returned(const PlaceQuery& q) {
  // `row["n"] += 1`: an item of a container someone else handed us.
  if (q.parts.empty())
    return q.kind == AccessKind::ReadModifyWrite && q.op == Op::ItemAugAssign
               ? intern_location(LocationKind::Unresolved, -1, q.text, q.text)
               : -1;
  // The callee's return annotation names the class, when it is a project class.
  int32_t cls = -1;
  for (auto [fm, fs] : resolve_call(q.module, q.scope, q.place.base)) {
    const std::string& ret = modules_[fm].returns(modules_[fm].scopes[static_cast<size_t>(fs)]);
    if (!ret.empty()) cls = class_from_annotation(fm, ret);
    break;
  }
  return from_instance(q, cls, 0);
}

void Project::resolve_accesses() {
  access_location_.resize(modules_.size());
  for (uint32_t m = 0; m < modules_.size(); ++m) {
    const ModuleFacts& mf = modules_[m];
    auto& out = access_location_[m];
    out.resize(mf.accesses.size(), -1);
    for (size_t i = 0; i < mf.accesses.size(); ++i) out[i] = resolve_access(m, mf.accesses[i]);
  }
}

void Project::index_accesses_by_location() {
  by_location_.assign(locations_.size(), {});
  for (uint32_t m = 0; m < modules_.size(); ++m)
    for (uint32_t i = 0; i < access_location_[m].size(); ++i) {
      const int32_t loc = access_location_[m][i];
      if (loc < 0) continue;
      by_location_[static_cast<size_t>(loc)].push_back({m, i});
      Container& c = locations_[static_cast<size_t>(loc)].container;
      const Access& a = modules_[m].accesses[i];
      if (c == Container::Unknown && a.kind == AccessKind::Write) c = a.container;
    }
}

}  // namespace raceaudit
