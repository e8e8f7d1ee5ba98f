// RA005's fixes: an `if` whose one test and one act become one atomic step
// (ModuleFacts::ifs, recorded by lowering):
//   if k not in d: d[k] = v        -> d.setdefault(k, v)      (v without side effects)
//   if k in d: del d[k]            -> d.pop(k, None)
//   if not os.path.exists(p): os.makedirs(p) -> os.makedirs(p, exist_ok=True)
//   if not os.path.exists(p): os.mkdir(p)    -> try: os.mkdir(p) / except FileExistsError: pass
#include <algorithm>

#include "fix/fix_makers.h"

namespace raceaudit {
namespace {

const ReplaceableIf* replaceable_if(const ModuleFacts& m, uint32_t act) {
  auto it = std::lower_bound(m.ifs.begin(), m.ifs.end(), act,
                             [](const ReplaceableIf& r, uint32_t a) { return r.act < a; });
  return it != m.ifs.end() && it->act == act ? &*it : nullptr;
}

// `setdefault` and `pop` are dict methods: safe on a location known to hold
// a dict, unsafe where nothing says what it holds, none on a list or set.
std::optional<Applicability> mapping_applicability(const Project& p, AccessRef act) {
  const int32_t loc = p.location_of(act);
  if (loc < 0) return std::nullopt;
  switch (p.locations()[static_cast<size_t>(loc)].container) {
    case Container::Dict: return Applicability::Safe;
    case Container::Unknown: return Applicability::Unsafe;
    default: return std::nullopt;
  }
}

std::optional<Fix> one_call(Applicability a, const ReplaceableIf& r, std::string call, std::string message) {
  Fix f;
  f.applicability = a;
  f.message = std::move(message) + ": `" + call + "`";
  if (a == Applicability::Unsafe) f.message += " (if it holds a dict)";
  f.edits.push_back({r.span, std::move(call)});
  return f;
}

// `if not exists(p): os.mkdir(p)` -> `try: os.mkdir(p)` / `except FileExistsError: pass`:
// the test becomes `try`, the handler follows the body's line. After
// `isdir`, a file at `p` still raises, as the old mkdir() did.
Fix try_mkdir(const ModuleFacts& m, const ReplaceableIf& r) {
  const std::string& indent = m.texts[r.indent];
  Fix f;
  f.message = "Create the directory and ignore `FileExistsError` instead of testing first";
  f.edits.push_back({r.test, "try"});
  const std::string handler = r.isdir ? "    if not os.path.isdir(" + m.texts[r.key] + "):\n" + indent + "        raise"
                                      : "    pass";
  f.edits.push_back({r.line_end, "\n" + indent + "except FileExistsError:\n" + indent + handler});
  return f;
}

}  // namespace

std::optional<Fix> ra005_fix(const Project& p, AccessRef act) {
  const ModuleFacts& m = p.module(act.module);
  const ReplaceableIf* r = replaceable_if(m, act.access);
  if (!r || !r->pure) return std::nullopt;
  const std::string& d = m.texts[r->container];
  const std::string& k = m.texts[r->key];
  switch (r->body) {
    case IfBody::StoreItem: {
      const auto a = mapping_applicability(p, act);
      if (!r->negated || !a) return std::nullopt;
      return one_call(*a, *r, d + ".setdefault(" + k + ", " + m.texts[r->value] + ")", "Insert in one step");
    }
    case IfBody::DeleteItem: {
      const auto a = mapping_applicability(p, act);
      if (r->negated || !a) return std::nullopt;
      return one_call(*a, *r, d + ".pop(" + k + ", None)", "Remove in one step");
    }
    case IfBody::PathCall: {
      const std::string& callee = m.texts[r->callee];
      if (!r->negated) return std::nullopt;
      if (callee == "os.mkdir") return try_mkdir(m, *r);
      if (callee != "os.makedirs") return std::nullopt;
      return one_call(Applicability::Safe, *r, callee + "(" + k + ", exist_ok=True)", "Create the directories in one step");
    }
  }
  return std::nullopt;
}

}  // namespace raceaudit
