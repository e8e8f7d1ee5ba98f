// Linking: joins per-module facts into the project-wide view (see project.h).
// Every step is a pass over arrays with hash lookups; nothing compares all
// pairs of accesses.
#include "link/project.h"

#include <algorithm>
#include <cctype>

#include "facts/places.h"
#include "models/threading_apis.h"

namespace raceaudit {
namespace {

bool is_private_name(const std::string& n) {
  return n.size() > 1 && n[0] == '_' && !(n.size() > 4 && n.compare(0, 2, "__") == 0 && n.compare(n.size() - 2, 2, "__") == 0);
}

std::string last_part(const std::string& dotted) {
  const size_t p = dotted.rfind('.');
  return p == std::string::npos ? dotted : dotted.substr(p + 1);
}

std::string first_part(const std::string& dotted) { return dotted.substr(0, dotted.find('.')); }

void sort_unique(std::vector<int32_t>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

std::vector<int32_t> intersect(const std::vector<int32_t>& a, const std::vector<int32_t>& b) {
  std::vector<int32_t> out;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

std::vector<int32_t> unite(const std::vector<int32_t>& a, const std::vector<int32_t>& b) {
  std::vector<int32_t> out;
  std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

}  // namespace

Project::Project(std::vector<ModuleFacts> modules, LinkOptions options)
    : modules_(std::move(modules)), options_(std::move(options)) {
  index_modules();
  index_classes();
  resolve_bases();
  collect_definitions();
  resolve_accesses();
  resolve_locks();
  index_accesses_by_location();
  build_call_graph();
  compute_sharing();
}

// ---- indexes ----------------------------------------------------------------

void Project::index_modules() {
  const size_t n = modules_.size();
  module_classes_.resize(n);
  module_functions_.resize(n);
  module_imports_.resize(n);
  module_singletons_.resize(n);
  module_class_aliases_.resize(n);
  scope_info_.resize(n);
  module_has_lock_.assign(n, false);
  module_starts_threads_.assign(n, false);
  for (uint32_t m = 0; m < n; ++m) {
    const ModuleFacts& mf = modules_[m];
    module_ids_.emplace(mf.module_name, m);
    for (const Import& imp : mf.imports) module_imports_[m][imp.alias] = &imp;
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

int32_t Project::resolve_module_alias(uint32_t m, const std::string& name) const {
  auto it = module_imports_[m].find(name);
  if (it == module_imports_[m].end()) return -1;
  const Import& imp = *it->second;
  const std::string target = imp.name.empty() ? imp.module : imp.module + "." + imp.name;
  return find_module(target);
}

// `Store`, `store.Store`, `pkg.store.Store` as seen from module m.
int32_t Project::resolve_class_name(uint32_t m, const std::string& dotted) const {
  if (dotted.empty()) return -1;
  if (auto it = module_classes_[m].find(dotted); it != module_classes_[m].end()) return it->second;
  if (auto it = module_class_aliases_[m].find(dotted); it != module_class_aliases_[m].end()) return it->second;
  const std::string head = first_part(dotted);
  auto imp = module_imports_[m].find(head);
  if (imp != module_imports_[m].end()) {
    const Import& i = *imp->second;
    const std::string rest = dotted.size() > head.size() ? dotted.substr(head.size() + 1) : std::string();
    if (!i.name.empty()) {
      // from pkg import Store / from pkg import module
      if (rest.empty()) {
        if (const int32_t mod = find_module(i.module); mod >= 0) {
          auto c = module_classes_[static_cast<size_t>(mod)].find(i.name);
          if (c != module_classes_[static_cast<size_t>(mod)].end()) return c->second;
          if (auto a = module_class_aliases_[static_cast<size_t>(mod)].find(i.name);
              a != module_class_aliases_[static_cast<size_t>(mod)].end())
            return a->second;
        }
        return -1;
      }
      if (const int32_t mod = find_module(i.module + "." + i.name); mod >= 0) {
        auto c = module_classes_[static_cast<size_t>(mod)].find(rest);
        if (c != module_classes_[static_cast<size_t>(mod)].end()) return c->second;
      }
      return -1;
    }
    // import pkg.mod -> pkg.mod.Store
    for (size_t cut = dotted.rfind('.'); cut != std::string::npos && cut > 0; cut = dotted.rfind('.', cut - 1)) {
      const int32_t mod =
          find_module(i.module == head ? dotted.substr(0, cut) : i.module + dotted.substr(head.size(), cut - head.size()));
      if (mod >= 0) {
        auto c = module_classes_[static_cast<size_t>(mod)].find(dotted.substr(cut + 1));
        if (c != module_classes_[static_cast<size_t>(mod)].end()) return c->second;
      }
      if (cut == 0) break;
    }
  }
  return -1;
}

int32_t Project::class_from_annotation(uint32_t m, std::string a) const {
  // Optional[X], "X", X | None: take the first name that resolves to a class.
  std::string token;
  for (size_t i = 0; i <= a.size(); ++i) {
    const char c = i < a.size() ? a[i] : ' ';
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.') {
      token += c;
    } else if (!token.empty()) {
      if (token != "Optional" && token != "typing.Optional" && token != "None") {
        const int32_t cls = resolve_class_name(m, token);
        if (cls >= 0) return cls;
      }
      token.clear();
    }
  }
  return -1;
}

void Project::resolve_bases() {
  for (auto& c : classes_) {
    for (const auto& b : c.base_names) {
      const int32_t id = resolve_class_name(static_cast<uint32_t>(c.module), b);
      if (id >= 0 && &classes_[static_cast<size_t>(id)] != &c) c.bases.push_back(id);
      if (is_thread_local_base(b)) c.is_thread_local = true;
      if (is_thread_base(b)) c.thread_target = true;
    }
  }
  // Drop base edges that close a cycle (`class A(B)` ... `class B(A)`: legal to
  // write, an error only at import), so every hierarchy walk is a tree walk.
  for (size_t c = 0; c < classes_.size(); ++c) {
    auto& bases = classes_[c].bases;
    bases.erase(std::remove_if(bases.begin(), bases.end(),
                               [&](int32_t b) {
                                 std::vector<int32_t> stack{b};
                                 for (size_t i = 0; i < stack.size() && i < 4096; ++i) {
                                   if (stack[i] == static_cast<int32_t>(c)) return true;
                                   const auto& up = classes_[static_cast<size_t>(stack[i])].bases;
                                   stack.insert(stack.end(), up.begin(), up.end());
                                 }
                                 return false;
                               }),
                bases.end());
  }
  // Inherit thread_local / confinement flags through project bases (bounded walk).
  for (int round = 0; round < 8; ++round) {
    bool changed = false;
    for (auto& c : classes_)
      for (int32_t b : c.bases) {
        const ClassInfo& base = classes_[static_cast<size_t>(b)];
        if (base.is_thread_local && !c.is_thread_local) c.is_thread_local = changed = true;
        if (base.thread_target && !c.thread_target) c.thread_target = changed = true;
      }
    if (!changed) break;
  }
}

bool Project::is_lock_factory(uint32_t m, const std::string& written) const {
  bool project_class = false;
  const std::string callee = qualified_callee(m, written, project_class);
  if (!project_class && raceaudit::is_lock_factory(callee)) return true;
  for (const auto& k : options_.extra_lock_factories)
    if (callee == k || written == k || last_part(callee) == k) return true;
  return false;
}

bool Project::is_tls_factory(uint32_t m, const std::string& written) const {
  bool project_class = false;
  const std::string callee = qualified_callee(m, written, project_class);
  return !project_class && is_thread_local_factory(callee);
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
// `L` after `from threading import Lock as L` is `threading.Lock`. A name
// that is a project class stays as written and is marked by `project_class`.
std::string Project::qualified_callee(uint32_t m, const std::string& callee, bool& project_class) const {
  project_class = resolve_class_name(m, callee) >= 0;
  const std::string head = first_part(callee);
  auto imp = module_imports_[m].find(head);
  if (project_class || imp == module_imports_[m].end()) return callee;
  const Import& i = *imp->second;
  const std::string base = i.name.empty() ? i.module : i.module + "." + i.name;
  return base + callee.substr(head.size());
}

// Learns from writes: lock and thread-local attributes and globals, attribute
// types, properties, module singletons.
void Project::collect_class_aliases() {
  // `Directory = files.Directory` at module level names the same class. In
  // rounds, so that an alias of an alias resolves too.
  for (int round = 0; round < 4; ++round) {
    bool changed = false;
    for (uint32_t m = 0; m < modules_.size(); ++m)
      for (const Access& a : modules_[m].accesses) {
        const Place& pl = modules_[m].places[a.place];
        if (a.kind != AccessKind::Write || a.value != ValueKind::Name || pl.root != Root::Global || !pl.path.empty() ||
            a.scope != 0 || module_class_aliases_[m].count(pl.root_name))
          continue;
        if (const int32_t c = resolve_class_name(m, a.value_text); c >= 0) {
          module_class_aliases_[m][pl.root_name] = c;
          changed = true;
        }
      }
    if (!changed) break;
  }
}

void Project::collect_definitions() {
  collect_class_aliases();
  for (uint32_t m = 0; m < modules_.size(); ++m) {
    const ModuleFacts& mf = modules_[m];
    for (size_t s = 0; s < mf.scopes.size(); ++s) {
      const Scope& sc = mf.scopes[s];
      if (sc.kind == ScopeKind::Function && sc.is_property && !sc.property_returns.empty()) {
        const int32_t cls = scope_info_[m][s].class_id;
        if (cls >= 0) classes_[static_cast<size_t>(cls)].properties[sc.name] = sc.property_returns;
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
        const bool field_decl = body.kind == ScopeKind::Class && body.is_record && !a.type_hint.empty() &&
                                a.type_hint.find("ClassVar") == std::string::npos;
        (field_decl ? classes_[static_cast<size_t>(cls)].written_attrs : classes_[static_cast<size_t>(cls)].class_attrs)
            .insert(pl.path);
      }
      if (a.kind != AccessKind::Write) continue;
      const std::string& callee = a.value_text;
      const bool is_call = a.value == ValueKind::Call;
      if (pl.root == Root::Global && pl.path.empty()) {
        if (is_call && is_lock_factory(m, callee)) lock_globals_.insert(global_key(m, pl.root_name));
        if (is_call && is_tls_factory(m, callee)) tls_globals_.insert(global_key(m, pl.root_name));
        if (is_call && mf.scopes[static_cast<size_t>(a.scope)].kind == ScopeKind::Module) {
          const int32_t c = resolve_class_name(m, callee);
          if (c >= 0) {
            module_singletons_[m][pl.root_name] = c;
            classes_[static_cast<size_t>(c)].referenced = true;
          }
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
        if (is_call && is_tls_factory(m, callee)) tls_attr_names_.insert(pl.path);
        if (cls < 0) continue;
        ClassInfo& ci = classes_[static_cast<size_t>(cls)];
        int32_t type = -1;
        if (!a.type_hint.empty()) type = class_from_annotation(m, a.type_hint);
        if (type < 0 && is_call) type = resolve_class_name(m, callee);
        if (type < 0 && a.value == ValueKind::Name) {
          // self.fs = fs, where the parameter is annotated.
          for (const Param& p : mf.scopes[static_cast<size_t>(a.scope)].params)
            if (p.name == a.value_text && !p.annotation.empty()) type = class_from_annotation(m, p.annotation);
        }
        if (type >= 0 && !ci.attr_types.count(pl.path)) {
          ci.attr_types[pl.path] = type;
          if (type != cls) classes_[static_cast<size_t>(type)].referenced = true;
        }
      }
    }
  }
  // Parameters annotated with a project class in another class's methods: that
  // class's instances are handed around.
  for (uint32_t m = 0; m < modules_.size(); ++m)
    for (size_t s = 0; s < modules_[m].scopes.size(); ++s) {
      const Scope& sc = modules_[m].scopes[s];
      if (sc.kind != ScopeKind::Function || !sc.is_method) continue;
      for (size_t p = 1; p < sc.params.size(); ++p) {
        if (sc.params[p].annotation.empty()) continue;
        const int32_t c = class_from_annotation(m, sc.params[p].annotation);
        if (c >= 0 && c != scope_info_[m][s].class_id) classes_[static_cast<size_t>(c)].referenced = true;
      }
    }
}

// ---- call graph ---------------------------------------------------------------

int32_t Project::attr_type(int32_t cls, const std::string& attr) const {
  std::vector<int32_t> stack{cls};
  for (size_t i = 0; i < stack.size() && i < 64; ++i) {
    const ClassInfo& c = classes_[static_cast<size_t>(stack[i])];
    if (auto it = c.attr_types.find(attr); it != c.attr_types.end()) return it->second;
    stack.insert(stack.end(), c.bases.begin(), c.bases.end());
  }
  return -1;
}

std::string Project::property_target(int32_t cls, const std::string& attr) const {
  std::vector<int32_t> stack{cls};
  for (size_t i = 0; i < stack.size() && i < 64; ++i) {
    const ClassInfo& c = classes_[static_cast<size_t>(stack[i])];
    if (auto it = c.properties.find(attr); it != c.properties.end()) return it->second;
    stack.insert(stack.end(), c.bases.begin(), c.bases.end());
  }
  return attr;
}

// The top-most class in the hierarchy that writes `attr`: the attribute's home.
int32_t Project::attr_owner(int32_t cls, const std::string& attr) const {
  int32_t owner = cls;
  std::vector<int32_t> stack{cls};
  for (size_t i = 0; i < stack.size() && i < 64; ++i) {
    const ClassInfo& c = classes_[static_cast<size_t>(stack[i])];
    if (c.written_attrs.count(attr)) owner = stack[i];
    stack.insert(stack.end(), c.bases.begin(), c.bases.end());
  }
  return owner;
}

// The class in the hierarchy that holds `attr` as a class attribute, when no
// class in it assigns `attr` on instances; else -1.
int32_t Project::class_attr_holder(int32_t cls, const std::string& attr) const {
  int32_t holder = -1;
  std::vector<int32_t> stack{cls};
  for (size_t i = 0; i < stack.size() && i < 64; ++i) {
    const ClassInfo& c = classes_[static_cast<size_t>(stack[i])];
    if (c.written_attrs.count(attr)) return -1;
    if (holder < 0 && c.class_attrs.count(attr)) holder = stack[i];
    stack.insert(stack.end(), c.bases.begin(), c.bases.end());
  }
  return holder;
}

std::vector<std::pair<uint32_t, int32_t>> Project::resolve_call(uint32_t m, int32_t scope, PlaceId callee) const {
  const Place& c = place_of(m, callee);
  std::vector<std::pair<uint32_t, int32_t>> out;
  auto method_of = [&](int32_t cls, const std::string& name) {
    std::vector<int32_t> stack{cls};
    for (size_t i = 0; i < stack.size() && i < 64; ++i) {
      const ClassInfo& ci = classes_[static_cast<size_t>(stack[i])];
      const auto mm = static_cast<uint32_t>(ci.module);
      const std::string q = modules_[mm].scopes[static_cast<size_t>(ci.scope)].qualname + "." + name;
      if (auto it = module_functions_[mm].find(q); it != module_functions_[mm].end()) {
        out.emplace_back(mm, it->second);
        return;
      }
      stack.insert(stack.end(), ci.bases.begin(), ci.bases.end());
    }
  };
  const int32_t cls = scope_info_[m][static_cast<size_t>(scope)].class_id;
  if ((c.root == Root::Self || c.root == Root::Cls) && !c.path.empty()) {
    // self.method(), or self.fs.method() through the attribute's type.
    int32_t target = cls;
    std::string rest = c.path;
    for (size_t dot = rest.find('.'); target >= 0 && dot != std::string::npos; dot = rest.find('.')) {
      target = attr_type(target, property_target(target, rest.substr(0, dot)));
      rest = rest.substr(dot + 1);
    }
    if (target >= 0) method_of(target, rest);
    return out;
  }
  if (c.root != Root::Global) return out;
  if (c.path.empty()) {
    // A function nested in an enclosing function or class body comes first.
    for (int32_t s = scope; s > 0; s = modules_[m].scopes[static_cast<size_t>(s)].parent) {
      const std::string q = modules_[m].scopes[static_cast<size_t>(s)].qualname + "." + c.root_name;
      if (auto it = module_functions_[m].find(q); it != module_functions_[m].end()) {
        out.emplace_back(m, it->second);
        return out;
      }
    }
    if (auto it = module_functions_[m].find(c.root_name); it != module_functions_[m].end()) {
      out.emplace_back(m, it->second);
      return out;
    }
    if (auto imp = module_imports_[m].find(c.root_name); imp != module_imports_[m].end() && !imp->second->name.empty()) {
      if (const int32_t mod = find_module(imp->second->module); mod >= 0)
        if (auto f = module_functions_[static_cast<size_t>(mod)].find(imp->second->name);
            f != module_functions_[static_cast<size_t>(mod)].end())
          out.emplace_back(static_cast<uint32_t>(mod), f->second);
    }
    return out;
  }
  if (c.path.find('.') != std::string::npos) return out;
  const int32_t mod = resolve_module_alias(m, c.root_name);
  if (mod >= 0) {
    const auto mm = static_cast<uint32_t>(mod);
    if (auto f = module_functions_[mm].find(c.path); f != module_functions_[mm].end()) out.emplace_back(mm, f->second);
    return out;
  }
  const int32_t k = resolve_class_name(m, c.root_name);
  if (k >= 0) method_of(k, c.path);
  return out;
}

void Project::build_call_graph() {
  struct Edge {
    uint32_t caller_module;
    int32_t caller_scope;
    uint32_t lockset;
  };
  // callee (module, scope) -> callers
  std::vector<std::vector<std::vector<Edge>>> callers(modules_.size());
  for (uint32_t m = 0; m < modules_.size(); ++m) callers[m].resize(modules_[m].scopes.size());

  for (uint32_t m = 0; m < modules_.size(); ++m) {
    const ModuleFacts& mf = modules_[m];
    for (size_t ci = 0; ci < mf.calls.size(); ++ci) {
      const Call& c = mf.calls[ci];
      const auto& caller_info = scope_info_[m][static_cast<size_t>(c.scope)];
      if (c.thread_target) {
        if (caller_info.class_id >= 0) classes_[static_cast<size_t>(caller_info.class_id)].starts_threads = true;
        module_starts_threads_[m] = true;
      }
      for (auto [cm, cs] : resolve_call(m, c.scope, c.callee)) {
        if (c.thread_target) {
          scope_info_[cm][static_cast<size_t>(cs)].thread_target = true;
          const int32_t tc = scope_info_[cm][static_cast<size_t>(cs)].class_id;
          if (tc >= 0) classes_[static_cast<size_t>(tc)].thread_target = true;
          continue;  // a thread target is not "called" by the starter
        }
        callers[cm][static_cast<size_t>(cs)].push_back({m, c.scope, call_locks_[m][ci]});
      }
    }
  }

  // Base facts per scope.
  for (uint32_t m = 0; m < modules_.size(); ++m) {
    const ModuleFacts& mf = modules_[m];
    for (size_t s = 0; s < mf.scopes.size(); ++s) {
      const Scope& sc = mf.scopes[s];
      auto& info = scope_info_[m][s];
      info.import_time = sc.kind != ScopeKind::Function || sc.is_class_init;
      info.instance_init = sc.kind != ScopeKind::Function || sc.is_init || sc.is_class_init;
      // Thread subclasses: run() is the thread's body.
      if (sc.kind == ScopeKind::Function && sc.is_method && sc.name == "run" && info.class_id >= 0 &&
          classes_[static_cast<size_t>(info.class_id)].thread_target)
        info.thread_target = true;
    }
  }

  // Greatest fixpoints over private helpers: init-only, import-time-only, and
  // the locks every caller holds.
  auto candidate = [&](uint32_t m, size_t s) {
    const Scope& sc = modules_[m].scopes[s];
    return sc.kind == ScopeKind::Function && is_private_name(sc.name) && !callers[m][s].empty() &&
           !scope_info_[m][s].thread_target;
  };
  std::vector<std::vector<bool>> lock_top(modules_.size());  // entry locks still "everything"
  for (uint32_t m = 0; m < modules_.size(); ++m) {
    lock_top[m].assign(modules_[m].scopes.size(), false);
    for (size_t s = 0; s < modules_[m].scopes.size(); ++s)
      if (candidate(m, s)) {
        scope_info_[m][s].instance_init = true;
        scope_info_[m][s].import_time = true;
        lock_top[m][s] = true;
      }
  }
  for (int round = 0; round < 64; ++round) {
    bool changed = false;
    for (uint32_t m = 0; m < modules_.size(); ++m)
      for (size_t s = 0; s < modules_[m].scopes.size(); ++s) {
        if (!candidate(m, s)) continue;
        auto& info = scope_info_[m][s];
        bool init = true, import = true;
        bool any_known = false;
        std::vector<int32_t> locks;
        for (const Edge& e : callers[m][s]) {
          const auto& ci = scope_info_[e.caller_module][static_cast<size_t>(e.caller_scope)];
          init = init && ci.instance_init;
          import = import && ci.import_time;
          if (lock_top[e.caller_module][static_cast<size_t>(e.caller_scope)]) continue;
          std::vector<int32_t> held = unite(locksets_[e.lockset], ci.entry_locks);
          locks = any_known ? intersect(locks, held) : held;
          any_known = true;
        }
        if (info.instance_init != init) { info.instance_init = init; changed = true; }
        if (info.import_time != import) { info.import_time = import; changed = true; }
        if (any_known && (lock_top[m][s] || locks != info.entry_locks)) {
          lock_top[m][s] = false;
          info.entry_locks = locks;
          changed = true;
        }
      }
    if (!changed) break;
  }
  for (uint32_t m = 0; m < modules_.size(); ++m)
    for (size_t s = 0; s < modules_[m].scopes.size(); ++s)
      if (lock_top[m][s]) scope_info_[m][s].entry_locks.clear();  // only recursive callers: unknown
}

// ---- locks --------------------------------------------------------------------

// A lock is identified by the location of the lock object, resolved like any
// access: `self._lock` in two methods of a class (or of its subclasses) is one
// lock; `self.guard` in an unrelated class is another place.
int32_t Project::lock_location(uint32_t m, int32_t scope, PlaceId lock) {
  const Place& pl = place_of(m, lock);
  int32_t loc = -1;
  if (pl.root == Root::LockHelper) {
    loc = intern_location(LocationKind::Global, static_cast<int32_t>(m), "<lock helper>." + pl.path,
                          global_key(m, "<lock helper>"));
  } else {
    loc = resolve_place(m, scope, lock, AccessKind::Read, Op::None, place_text(modules_[m], lock));
    if (loc < 0) {
      const std::string text = place_text(modules_[m], lock);
      loc = intern_location(LocationKind::Unresolved, -1, text, text);
    }
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
}

std::vector<int32_t> Project::locks_at(AccessRef r) const {
  const Access& a = access(r);
  return unite(locksets_[access_locks_[r.module][r.access]], scope_info(r.module, a.scope).entry_locks);
}

bool Project::share_a_lock(AccessRef a, AccessRef b) const {
  return !intersect(locks_at(a), locks_at(b)).empty();
}

bool Project::in_instance_init(AccessRef r) const { return scope_info(r.module, access(r).scope).instance_init; }
bool Project::at_import_time(AccessRef r) const { return scope_info(r.module, access(r).scope).import_time; }

// ---- accesses -------------------------------------------------------------------

bool Project::attr_is_thread_local(int32_t cls, const std::string& attr) const {
  (void)cls;
  return tls_attr_names_.count(attr) > 0;
}

int32_t Project::intern_location(LocationKind k, int32_t owner, const std::string& name, const std::string& display) {
  std::string key;
  key += static_cast<char>('0' + static_cast<int>(k));
  key += std::to_string(owner);
  key += ':';
  key += k == LocationKind::Unresolved || k == LocationKind::Path ? display : name;
  auto [it, fresh] = location_ids_.emplace(std::move(key), static_cast<int32_t>(locations_.size()));
  if (fresh) locations_.push_back(Location{k, owner, name, display});
  return it->second;
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
  const ModuleFacts& mf = modules_[m];
  const ScopeInfo& si = scope_info_[m][static_cast<size_t>(scope)];
  const Place& a = place_of(m, id);
  if (a.root == Root::Path) return intern_location(LocationKind::Path, -1, a.root_name, a.root_name);

  // Walk an attribute chain starting at an instance of `cls`.
  auto from_instance = [&](int32_t cls, const std::vector<std::string>& parts, size_t from) -> int32_t {
    for (size_t i = from; i < parts.size(); ++i) {
      std::string attr = parts[i];
      if (cls >= 0) {
        const ClassInfo& ci = classes_[static_cast<size_t>(cls)];
        if (ci.is_thread_local || ci.confined) return -1;
        attr = property_target(cls, attr);
      }
      if (tls_attr_names_.count(attr) && i + 1 < parts.size()) return -1;  // self._tls.x
      if (i + 1 == parts.size()) {
        if (cls < 0) return intern_location(LocationKind::Unresolved, -1, attr, text);
        // `self.X` where X is only ever a class attribute is that class attribute.
        if (const int32_t holder = class_attr_holder(cls, attr); holder >= 0)
          return intern_location(LocationKind::ClassAttr, holder, attr, classes_[static_cast<size_t>(holder)].name + "." + attr);
        const int32_t owner = attr_owner(cls, attr);
        return intern_location(LocationKind::Instance, owner,
                               attr, classes_[static_cast<size_t>(owner)].name + "." + attr);
      }
      cls = cls >= 0 ? attr_type(cls, attr) : -1;
    }
    return -1;
  };
  const std::vector<std::string> parts = a.path.empty() ? std::vector<std::string>{} : split_path(a.path);

  switch (a.root) {
    case Root::Self: {
      if (parts.empty()) return -1;  // `self` itself
      return from_instance(si.class_id, parts, 0);
    }
    case Root::Cls: {
      if (parts.empty() || si.class_id < 0) return -1;
      const ClassInfo& ci = classes_[static_cast<size_t>(si.class_id)];
      if (ci.confined) return -1;
      if (parts.size() == 1) return intern_location(LocationKind::ClassAttr, si.class_id, parts[0], ci.name + "." + parts[0]);
      return from_instance(-1, parts, 1);
    }
    case Root::Global: {
      // A class by name?
      const int32_t cls = resolve_class_name(m, a.root_name);
      if (cls >= 0) {
        if (parts.empty()) return -1;
        // Outer.Inner.attr: walk nested classes first.
        int32_t owner = cls;
        size_t used = 0;
        while (used + 1 < parts.size()) {
          const ClassInfo& oc = classes_[static_cast<size_t>(owner)];
          const std::string nested = modules_[static_cast<size_t>(oc.module)].scopes[static_cast<size_t>(oc.scope)].qualname + "." + parts[used];
          auto it = module_classes_[static_cast<size_t>(oc.module)].find(nested);
          if (it == module_classes_[static_cast<size_t>(oc.module)].end()) break;
          owner = it->second;
          ++used;
        }
        const ClassInfo& ci = classes_[static_cast<size_t>(owner)];
        if (ci.confined) return -1;
        if (used + 1 == parts.size())
          return intern_location(LocationKind::ClassAttr, owner, parts[used], ci.name + "." + parts[used]);
        return intern_location(LocationKind::Unresolved, -1, parts.back(), text);
      }
      // An imported name?
      if (auto imp_it = module_imports_[m].find(a.root_name); imp_it != module_imports_[m].end()) {
        const Import& imp = *imp_it->second;
        const int32_t mod = resolve_module_alias(m, a.root_name);
        const bool rebinding = parts.empty() && (kind == AccessKind::Write || kind == AccessKind::ReadModifyWrite);
        if (mod >= 0 || imp.name.empty()) {
          // `import helpers` / `from pkg import helpers`: attributes are that module's globals.
          if (parts.empty()) return rebinding ? intern_location(LocationKind::Global, static_cast<int32_t>(m), a.root_name, mf.module_name + "." + a.root_name) : -1;
          const std::string mname = mod >= 0 ? modules_[static_cast<size_t>(mod)].module_name
                                             : (imp.name.empty() ? imp.module : imp.module + "." + imp.name);
          if (parts.size() > 1) return intern_location(LocationKind::Unresolved, -1, parts.back(), text);
          if (tls_globals_.count(mname + "." + parts[0])) return -1;
          return intern_location(LocationKind::Global, mod, parts[0], mname + "." + parts[0]);
        }
        if (!rebinding) {
          // `from ledger.hooks import HOOKS`: the same object as ledger.hooks.HOOKS.
          const int32_t target = find_module(imp.module);
          const std::string full =
              target >= 0 ? global_key(static_cast<uint32_t>(target), imp.name) : imp.module + "." + imp.name;
          if (tls_globals_.count(full)) return -1;
          if (parts.empty()) return intern_location(LocationKind::Global, target, imp.name, full);
          if (target >= 0)
            if (auto sg = module_singletons_[static_cast<size_t>(target)].find(imp.name);
                sg != module_singletons_[static_cast<size_t>(target)].end())
              return from_instance(sg->second, parts, 0);
          return intern_location(LocationKind::Unresolved, -1, parts.back(), text);
        }
      }
      if (tls_globals_.count(global_key(m, a.root_name))) return -1;
      if (parts.empty()) {
        return intern_location(LocationKind::Global, static_cast<int32_t>(m), a.root_name,
                               (mf.module_name.empty() ? std::string() : mf.module_name + ".") + a.root_name);
      }
      // An attribute of a module-level object: a singleton of a project class?
      if (auto s = module_singletons_[m].find(a.root_name); s != module_singletons_[m].end())
        return from_instance(s->second, parts, 0);
      return intern_location(LocationKind::Unresolved, -1, parts.back(), text);
    }
    case Root::Param: {
      int32_t cls = -1;
      for (const Param& p : mf.scopes[static_cast<size_t>(scope)].params)
        if (p.name == a.root_name && !p.annotation.empty()) cls = class_from_annotation(m, p.annotation);
      if (parts.empty()) return -1;  // rebinding a parameter is local
      return from_instance(cls, parts, 0);
    }
    case Root::Element: {
      if (parts.empty()) return -1;
      return intern_location(LocationKind::Unresolved, -1, parts.back(), text);
    }
    case Root::Returned: {
      // `row = self.table_for(k); row["n"] += 1`: an item of a container someone else handed us.
      if (parts.empty())
        return kind == AccessKind::ReadModifyWrite && op == Op::ItemAugAssign
                   ? intern_location(LocationKind::Unresolved, -1, text, text)
                   : -1;
      // The callee's return annotation names the class, when it is a project class.
      int32_t cls = -1;
      for (auto [fm, fs] : resolve_call(m, scope, a.base)) {
        const std::string& ret = modules_[fm].scopes[static_cast<size_t>(fs)].returns;
        if (!ret.empty()) cls = class_from_annotation(fm, ret);
        break;
      }
      return from_instance(cls, parts, 0);
    }
    case Root::Path:
    case Root::LockHelper:
      break;
  }
  return -1;
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
}

const std::string& Project::qualname_of(AccessRef r) const {
  const ModuleFacts& mf = modules_[r.module];
  const Scope& s = mf.scopes[static_cast<size_t>(access(r).scope)];
  return s.kind == ScopeKind::Module ? mf.module_name : s.qualname;
}

Confidence Project::confidence(AccessRef r) const {
  const Access& a = access(r);
  const ScopeInfo& si = scope_info(r.module, a.scope);
  const int32_t loc = location_of(r);
  // Holding a lock or running as a thread says "meant for threads"; starting
  // threads only says the class hands work to others (medium, below).
  auto class_intent = [&](int32_t cls) {
    if (cls < 0) return false;
    const ClassInfo& c = classes_[static_cast<size_t>(cls)];
    return c.has_lock || c.thread_target || c.declared_shared;
  };
  auto starts_threads = [&](int32_t cls) { return cls >= 0 && classes_[static_cast<size_t>(cls)].starts_threads; };
  const bool module_intent = module_has_lock_[r.module];
  // Coroutines interleave only at awaits, on one event-loop thread.
  if (modules_[r.module].scopes[static_cast<size_t>(a.scope)].is_async) return Confidence::Low;
  if (si.thread_target || class_intent(si.class_id)) return Confidence::High;
  if (loc < 0) return Confidence::Low;
  const Location& l = locations_[static_cast<size_t>(loc)];
  switch (l.kind) {
    case LocationKind::Global:
    case LocationKind::Path:
      return module_intent ? Confidence::High : Confidence::Medium;
    case LocationKind::ClassAttr:
      return class_intent(l.owner) || module_intent ? Confidence::High : Confidence::Medium;
    case LocationKind::Instance: {
      if (class_intent(l.owner)) return Confidence::High;
      if (starts_threads(l.owner) || starts_threads(si.class_id)) return Confidence::Medium;
      const ClassInfo& owner = classes_[static_cast<size_t>(l.owner)];
      if (owner.referenced) return Confidence::Medium;
      const Root root = place(r).root;
      if (root != Root::Self && root != Root::Element) return Confidence::Medium;  // reached through another object
      return Confidence::Low;
    }
    case LocationKind::Unresolved:
      if (const Place& pl = place(r); pl.root == Root::Returned) {
        // Handed out by a method of a shared object (`entry = self.get_entry(name)`).
        for (auto [fm, fs] : resolve_call(r.module, a.scope, pl.base)) {
          const int32_t owner = scope_info_[fm][static_cast<size_t>(fs)].class_id;
          if (owner >= 0 && (classes_[static_cast<size_t>(owner)].referenced || class_intent(owner)))
            return Confidence::Medium;
        }
      }
      return Confidence::Low;  // a receiver of unknown type: no sign that it is shared
  }
  return Confidence::Low;
}

}  // namespace raceaudit
