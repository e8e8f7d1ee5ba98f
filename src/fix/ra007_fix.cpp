// RA007's fix for a setter of per-thread state, a function that sets a global
// of its module from a parameter (`def set_uid(uid): global _uid; _uid =
// uid`): the global becomes a contextvars.ContextVar in its module.
//   _uid = None      (the one import-time write) -> _uid = contextvars.ContextVar("_uid", default=None)
//   _uid = v         (each run-time write)       -> _uid.set(v)
//   _uid             (each read)                 -> _uid.get()
//   import contextvars                           after the last top-level import before the binding
// The `global _uid` statements stay: no longer needed, and harmless.
// Display-only: whether one value per thread (and asyncio task) is meant, or
// one for the process behind a lock, is the author's choice; and a thread
// then sees the default until it sets a value itself (threads start with an
// empty context, on free-threaded 3.14 builds with a copy of their starter's).
#include <algorithm>
#include <tuple>

#include "fix/fix_makers.h"

namespace raceaudit {
namespace {

bool has(const std::vector<std::string>& sorted, const std::string& s) {
  return std::binary_search(sorted.begin(), sorted.end(), s);
}

// `_uid = uid` where `uid` is a parameter of the writing function.
bool sets_from_parameter(const ModuleFacts& m, const Access& a) {
  const Scope& s = m.scopes[static_cast<size_t>(a.scope)];
  if (s.kind != ScopeKind::Function || a.value != ValueKind::Name) return false;
  const std::string& v = m.value_text(a);
  return std::any_of(s.params.begin(), s.params.end(), [&](const Param& p) { return p.name == v; });
}

// Does module `b` import module `name` (`import pkg.settings`, `from pkg import
// settings`, `import settings as s`, `from settings import x`)?
bool imports_module(const ModuleFacts& b, const std::string& name) {
  return std::any_of(b.imports.begin(), b.imports.end(), [&](const Import& i) {
    return i.module == name || (!i.name.empty() && i.module + "." + i.name == name) || name.starts_with(i.module + ".");
  });
}

// Another module names the global: `from settings import _uid`, `from
// settings import *` (of a public name), `settings._uid` through an import
// of the module; or it is not known what it names.
bool named_elsewhere(const Project& p, uint32_t mod, const std::string& global) {
  const std::string& name = p.module(mod).module_name;
  for (uint32_t b = 0; b < p.modules().size(); ++b) {
    if (b == mod) continue;
    const ModuleFacts& other = p.module(b);
    for (const Import& i : other.imports)
      if (i.module == name && (i.name == global || (i.name == "*" && !global.starts_with("_")))) return true;
    if (imports_module(other, name) && (!other.names.complete || has(other.names.module_attributes, global)))
      return true;
  }
  return false;
}

// An edit, and where it sorts among edits at the same point: a read's
// `.get()` before the `)` that closes a `.set(` around it.
struct Placed {
  Edit edit;
  int rank = 0;
};

bool inserts(const Edit& e) { return e.range.line == e.range.end_line && e.range.col == e.range.end_col; }
Span at(uint32_t line, uint32_t col) { return Span{line, col, line, col}; }
Span between(const Span& a, const Span& b) { return Span{a.end_line, a.end_col, b.line, b.col}; }

// In source order, insertions at one point joined; none when two edits
// would touch (an insertion at the edge of a replaced range).
std::optional<std::vector<Edit>> in_order(std::vector<Placed> placed) {
  auto key = [](const Placed& p) { return std::tie(p.edit.range.line, p.edit.range.col, p.rank); };
  std::stable_sort(placed.begin(), placed.end(), [&](const Placed& a, const Placed& b) { return key(a) < key(b); });
  std::vector<Edit> out;
  for (Placed& p : placed) {
    if (!out.empty()) {
      Edit& last = out.back();
      const auto end = std::tie(last.range.end_line, last.range.end_col);
      const auto start = std::tie(p.edit.range.line, p.edit.range.col);
      if (inserts(last) && inserts(p.edit) && end == start) {
        last.content += p.edit.content;
        continue;
      }
      if (start < end || (start == end && (inserts(last) || inserts(p.edit)))) return std::nullopt;
    }
    out.push_back(std::move(p.edit));
  }
  return out;
}

// The Write access of `location` in module `mod` at `span` (a Store use).
const Access* write_at(const Project& p, int32_t location, uint32_t mod, const Span& span) {
  for (const AccessRef& r : p.accesses_of(location)) {
    const Access& a = p.access(r);
    if (r.module == mod && a.kind == AccessKind::Write && a.span.line == span.line && a.span.col == span.col)
      return &a;
  }
  return nullptr;
}

}  // namespace

std::optional<Fix> ra007_fix(const Project& p, AccessRef write) {
  const Access& a = p.access(write);
  const ModuleFacts& m = p.module(write.module);
  const int32_t loc = p.location_of(write);
  if (a.kind != AccessKind::Write || a.op != Op::None || loc < 0) return std::nullopt;
  const Location& l = p.locations()[static_cast<size_t>(loc)];
  if (l.kind != LocationKind::Global || l.owner != static_cast<int32_t>(write.module) || !sets_from_parameter(m, a))
    return std::nullopt;
  const NameUses& names = m.names;
  const auto g = std::lower_bound(names.globals.begin(), names.globals.end(), l.name);
  if (!names.complete || g == names.globals.end() || *g != l.name) return std::nullopt;
  const auto id = static_cast<uint16_t>(g - names.globals.begin());

  // Rebound only, in this module only, and bound once at import, at module level.
  const Access* binding = nullptr;
  size_t writes = 0;
  for (const AccessRef& r : p.accesses_of(loc)) {
    const Access& x = p.access(r);
    if (r.module != write.module || x.kind == AccessKind::ReadModifyWrite || x.kind == AccessKind::Mutate ||
        (x.kind == AccessKind::Write && x.op != Op::None))
      return std::nullopt;
    if (x.kind != AccessKind::Write) continue;
    ++writes;
    if (!p.at_import_time(r)) continue;
    if (binding || x.scope != 0) return std::nullopt;
    binding = &x;
  }
  if (!binding || named_elsewhere(p, write.module, l.name)) return std::nullopt;

  // Every use of the name: reads get `.get()`, the writes (each one an
  // access above) become `.set(v)` and the binding a ContextVar. Any other
  // use (a local of that name, `_uid, x = ...`, `_uid.x = 1`) and no fix.
  std::vector<Placed> edits;
  size_t stores = 0;
  for (const NameUse& u : names.uses) {
    if (u.name != id || u.role == NameRole::Declare) continue;
    if (u.role == NameRole::Load) {
      edits.push_back({{at(u.span.end_line, u.span.end_col), ".get()"}, 0});
      continue;
    }
    const Access* w = write_at(p, loc, write.module, u.span);
    if (!w || u.value_kind == StoredValue::NotSimple) return std::nullopt;
    ++stores;
    if (w == binding) {
      if (u.value_kind != StoredValue::Literal && u.value_kind != StoredValue::Name) return std::nullopt;
      const std::string& hint = m.type_hint(*w);
      std::string head = hint.empty() ? " = " : ": contextvars.ContextVar[" + hint + "] = ";
      edits.push_back({{between(u.span, u.value), head + "contextvars.ContextVar(\"" + l.name + "\", default="}, 1});
      edits.push_back({{at(u.value.end_line, u.value.end_col), ")"}, 1});
    } else {
      const bool tuple = u.value_kind == StoredValue::Tuple;  // `_uid = a, b`: one argument, `.set((a, b))`
      edits.push_back({{between(u.span, u.value), tuple ? ".set((" : ".set("}, 1});
      edits.push_back({{at(u.value.end_line, u.value.end_col), tuple ? "))" : ")"}, 1});
    }
  }
  if (stores != writes) return std::nullopt;

  // `import contextvars` before the binding runs: after the last top-level
  // import before it, else before the module's first statement.
  if (!names.contextvars_line || names.contextvars_line > binding->stmt.line) {
    uint32_t line = 0;
    for (uint32_t end : names.import_ends)
      if (end < binding->stmt.line) line = end + 1;
    if (!line) line = names.first_line;
    if (!line || line > binding->stmt.line) return std::nullopt;
    edits.push_back({{at(line, 1), "import contextvars\n"}, 1});
  }
  auto ordered = in_order(std::move(edits));
  if (!ordered) return std::nullopt;
  Fix f;
  f.applicability = Applicability::DisplayOnly;
  f.message = "Keep `" + l.name +
              "` per context: a `contextvars.ContextVar`, read with `.get()`, written with `.set()` (each thread "
              "then sees only its own value); or, if one process-wide value is meant, hold one module lock around "
              "every read and write";
  f.edits = std::move(*ordered);
  return f;
}

}  // namespace raceaudit
