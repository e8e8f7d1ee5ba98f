// Linking: class names, annotations and bases resolved to project classes,
// and the walks up a class hierarchy (attribute types, properties, owners).
#include "link/project.h"

#include <algorithm>

#include "link/link_util.h"
#include "models/threading_apis.h"

namespace raceaudit {

int32_t Project::resolve_module_alias(uint32_t m, const std::string& name) const {
  auto it = module_imports_[m].find(name);
  if (it == module_imports_[m].end()) return -1;
  const Import& imp = *it->second;
  const std::string target = imp.name.empty() ? imp.module : imp.module + "." + imp.name;
  return find_module(target);
}

// A class defined in module `mod` under `name` (or a module-level alias of
// one), or re-exported by it (`from .store import Store` in a package's
// __init__, `from store import *`).
int32_t Project::class_in_module(uint32_t mod, const std::string& name) const {
  return exported(mod, name, [this](uint32_t m, const std::string& n) -> int32_t {
    if (auto c = module_classes_[m].find(n); c != module_classes_[m].end()) return c->second;
    if (auto a = module_class_aliases_[m].find(n); a != module_class_aliases_[m].end()) return a->second;
    return -1;
  });
}

// `Store`, `store.Store`, `pkg.store.Store` as seen from module m.
int32_t Project::resolve_class_name(uint32_t m, const std::string& dotted) const {
  if (dotted.empty()) return -1;
  if (auto it = module_classes_[m].find(dotted); it != module_classes_[m].end()) return it->second;
  if (auto it = module_class_aliases_[m].find(dotted); it != module_class_aliases_[m].end()) return it->second;
  const std::string head = first_part(dotted);
  auto imp = module_imports_[m].find(head);
  if (imp == module_imports_[m].end()) {
    // A name `from x import *` brought in.
    return head.size() == dotted.size() && !star_imports_[m].empty() ? class_in_module(m, dotted) : -1;
  }
  const Import& i = *imp->second;
  const std::string rest = dotted.size() > head.size() ? dotted.substr(head.size() + 1) : std::string();
  if (!i.name.empty()) {
    // from pkg import Store / from pkg import module
    if (rest.empty()) {
      const int32_t mod = find_module(i.module);
      return mod >= 0 ? class_in_module(static_cast<uint32_t>(mod), i.name) : -1;
    }
    const int32_t mod = find_module(i.module + "." + i.name);
    return mod >= 0 ? class_in_module(static_cast<uint32_t>(mod), rest) : -1;
  }
  // import pkg.mod -> pkg.mod.Store
  for (size_t cut = dotted.rfind('.'); cut != std::string::npos && cut > 0; cut = dotted.rfind('.', cut - 1)) {
    const int32_t mod =
        find_module(i.module == head ? dotted.substr(0, cut) : i.module + dotted.substr(head.size(), cut - head.size()));
    if (mod >= 0)
      if (const int32_t c = class_in_module(static_cast<uint32_t>(mod), dotted.substr(cut + 1)); c >= 0) return c;
    if (cut == 0) break;
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

// Every project class an annotation names (`dict[str, Conn]`, `list[Worker] | None`):
// the objects an attribute so annotated holds. `type[X]` holds a class, not an X.
std::vector<int32_t> Project::classes_in_annotation(uint32_t m, const std::string& a) const {
  std::vector<int32_t> out;
  if (a.find("type[") != std::string::npos || a.find("Type[") != std::string::npos) return out;
  std::string token;
  for (size_t i = 0; i <= a.size(); ++i) {
    const char c = i < a.size() ? a[i] : ' ';
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.') {
      token += c;
      continue;
    }
    if (const int32_t cls = token.empty() ? -1 : resolve_class_name(m, token);
        cls >= 0 && std::find(out.begin(), out.end(), cls) == out.end())
      out.push_back(cls);
    token.clear();
  }
  return out;
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
  for (size_t c = 0; c < classes_.size(); ++c)
    for (int32_t b : classes_[c].bases) classes_[static_cast<size_t>(b)].subclasses.push_back(static_cast<int32_t>(c));
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

int32_t Project::attr_type(int32_t cls, const std::string& attr) const {
  std::vector<int32_t> stack{cls};
  for (size_t i = 0; i < stack.size() && i < 64; ++i) {
    const ClassInfo& c = classes_[static_cast<size_t>(stack[i])];
    if (auto it = c.attr_types.find(attr); it != c.attr_types.end()) return it->second;
    stack.insert(stack.end(), c.bases.begin(), c.bases.end());
  }
  return -1;
}

// The attribute a property returns (`return self._x`), or `attr` itself.
// A property returning an attribute of a thread-local (`return self._tls.data`)
// is per thread; `per_thread` says so, and `attr` is returned.
std::string Project::property_target(int32_t cls, const std::string& attr, bool* per_thread) const {
  std::vector<int32_t> stack{cls};
  for (size_t i = 0; i < stack.size() && i < 64; ++i) {
    const ClassInfo& c = classes_[static_cast<size_t>(stack[i])];
    if (auto it = c.properties.find(attr); it != c.properties.end()) {
      const size_t dot = it->second.find('.');
      if (dot == std::string::npos) return it->second;
      if (per_thread && tls_attr_names_.count(it->second.substr(0, dot))) *per_thread = true;
      return attr;
    }
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

}  // namespace raceaudit
