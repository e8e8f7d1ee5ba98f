// Lowering: names and attribute chains to places, emitting accesses, values,
// and what local names alias.
#include "facts/lowerer.h"

#include <algorithm>

#include "models/container_ops.h"
#include "models/name_tables.h"

namespace raceaudit::lowering {

// ---- names and locations ------------------------------------------------
PlaceId Lowerer::place(const LocRef& l) {
  std::string key;
  key.reserve(l.root_name.size() + l.path.size() + 8);
  key += static_cast<char>(l.root);
  key.append(reinterpret_cast<const char*>(&l.base), sizeof(l.base));
  key += l.root_name;
  key += '\x1f';
  key += l.path;
  auto [it, fresh] = place_ids_.emplace(std::move(key), static_cast<PlaceId>(out_.places.size()));
  if (fresh) out_.places.push_back(Place{l.root, l.root_name, l.path, l.base});
  return it->second;
}

uint32_t Lowerer::intern_text(const std::string& text) {
  if (text.empty()) return 0;
  auto [it, fresh] = text_ids_.emplace(text, static_cast<uint32_t>(out_.texts.size()));
  if (fresh) out_.texts.push_back(text);
  return it->second;
}

const Env* Lowerer::function_env(const Env* e) {
  while (e && e->type == Env::Type::Class) e = e->outer;
  return e;
}

std::optional<LocRef> Lowerer::resolve_name(std::string_view name_view, bool for_write) {
  const std::string name(name_view);
  const Env* e = env_;
  if (e->type == Env::Type::Class) {
    // In a class body, names bound there are class attributes.
    if (for_write || e->locals.count(name)) return LocRef{Root::Cls, out_.scopes[e->scope].qualname, name, name};
    e = function_env(e->outer);
    if (!e) return LocRef{Root::Global, name, "", name};
  }
  if (e->type == Env::Type::Module) return LocRef{Root::Global, name, "", name};
  for (const Env* f = e; f; f = function_env(f->outer)) {
    if (f->type == Env::Type::Module) break;
    if (f->globals.count(name)) return LocRef{Root::Global, name, "", name};
    if (f->params.count(name)) {
      if (name == f->self_name) return LocRef{Root::Self, name, "", name};
      if (name == f->cls_name) return LocRef{Root::Cls, name, "", name};
      return LocRef{Root::Param, name, "", name};
    }
    if (f->locals.count(name) || f->nonlocals.count(name)) {
      auto it = f->aliases.find(name);
      if (it == f->aliases.end() || !it->second) return std::nullopt;
      LocRef r = *it->second;
      r.text = name;
      return r;
    }
  }
  return LocRef{Root::Global, name, "", name};
}

std::optional<LocRef> Lowerer::to_loc(TSNode n, bool for_write) {
  n = strip_parens(n);
  if (ts_node_is_null(n)) return std::nullopt;
  const TSNode whole = n;
  std::vector<std::string_view> attrs;  // innermost last
  std::vector<bool> paren_base;         // was the object of this attribute parenthesized?
  while (kind(n) == Kind::Attribute) {
    if (attrs.size() >= kMaxPathParts) return std::nullopt;
    const std::string_view attr = text(field(n, Field::AttributeName));
    if (attr.empty()) return std::nullopt;
    attrs.push_back(attr);
    TSNode obj = field(n, Field::Object);
    paren_base.push_back(!ts_node_is_null(obj) && kind(obj) == Kind::ParenthesizedExpression);
    n = strip_parens(obj);
    if (ts_node_is_null(n)) return std::nullopt;
  }
  std::optional<LocRef> base;
  if (kind(n) == Kind::Identifier) {
    base = resolve_name(text(n), for_write && attrs.empty());
  } else if (kind(n) == Kind::Call && text(field(n, Field::Function)) == "type") {
    // type(self): only a plain name inside, so no recursion is needed.
    std::vector<TSNode> pos;
    std::vector<std::pair<std::string_view, TSNode>> kw;
    call_arguments(n, pos, kw);
    if (pos.size() != 1) return std::nullopt;
    TSNode arg = strip_parens(pos[0]);
    if (ts_node_is_null(arg) || kind(arg) != Kind::Identifier) return std::nullopt;
    base = resolve_name(text(arg), false);
    if (!base || base->root != Root::Self || !base->path.empty()) return std::nullopt;
    base->root = Root::Cls;
  } else {
    return std::nullopt;
  }
  if (!base) return std::nullopt;
  for (size_t i = attrs.size(); i-- > 0;) {
    const std::string_view attr = attrs[i];
    if (type_call_base_ && paren_base[i] && base->root == Root::Self && base->path.empty())
      base->root = Root::Cls;  // `type(self).x`, misread by the grammar (see visit_type_alias)
    if (attr == "__class__" && base->root == Root::Self && base->path.empty()) {
      base->root = Root::Cls;
    } else {
      if (!base->path.empty()) base->path += '.';
      base->path += attr;
    }
  }
  if (!attrs.empty() || kind(whole) == Kind::Call) base->text = std::string(text(whole));
  return base;
}

// ---- emitting facts -----------------------------------------------------
uint32_t Lowerer::emit(AccessKind k, const LocRef& loc, TSNode at, Op op, ValueKind value) {
  Access a;
  a.kind = k;
  a.op = op;
  a.handled = handled_;
  a.value = value;
  a.scope = env_->scope;
  a.place = place(loc);
  a.order = order_++;
  a.lockset = locks_.current();
  a.section = locks_.section();
  a.text = loc.text;
  a.span = span(at);
  a.stmt = stmt_;
  const auto idx = static_cast<uint32_t>(out_.accesses.size());
  if (k != AccessKind::Check && !checks_.empty())
    if (const std::vector<uint32_t>* checks = checks_.checks_of(a.place))
      for (uint32_t c : *checks) out_.guarded.push_back({c, idx});
  out_.accesses.push_back(std::move(a));
  return idx;
}

uint32_t Lowerer::emit_check(const LocRef& loc, TSNode at, CheckKind check) {
  const uint32_t idx = emit(AccessKind::Check, loc, at);
  out_.accesses[idx].check = check;
  return idx;
}

Container Lowerer::literal_container(Kind k) {
  switch (k) {
    case Kind::List: case Kind::ListComprehension: return Container::List;
    case Kind::Dictionary: case Kind::DictionaryComprehension: return Container::Dict;
    case Kind::Set: case Kind::SetComprehension: return Container::Set;
    default: return Container::Unknown;
  }
}

// `a.b.c` made of names only, without calls, subscripts or parentheses.
bool Lowerer::is_dotted_name(TSNode n) {
  for (unsigned steps = 0; steps < 64 && !ts_node_is_null(n); ++steps) {
    if (kind(n) == Kind::Identifier) return true;
    if (kind(n) != Kind::Attribute) return false;
    n = field(n, Field::Object);
  }
  return false;
}

ValueInfo Lowerer::value_info(TSNode v) {
  ValueInfo info;
  v = strip_parens(v);
  if (ts_node_is_null(v)) return info;
  info.container = literal_container(kind(v));
  switch (kind(v)) {
    case Kind::True: info.kind = ValueKind::True; break;
    case Kind::False: info.kind = ValueKind::False; break;
    case Kind::None: info.kind = ValueKind::None; break;
    case Kind::String:
      info.kind = ValueKind::Constant;
      break;
    case Kind::List: case Kind::Dictionary: case Kind::Set: case Kind::Tuple: {
      if (ts_node_is_null(first_named_child(v))) {
        info.kind = ValueKind::EmptyContainer;
        break;
      }
      if (kind(v) == Kind::Dictionary) break;
      bool constants = true;
      for_each_named_child(v, [&](TSNode c) {
        const Kind k = kind(c);
        constants = constants && k == Kind::String;
      });
      if (constants) info.kind = ValueKind::Constant;
      break;
    }
    case Kind::Identifier:
      info.text = std::string(text(v));
      info.kind = ValueKind::Name;
      break;
    case Kind::Attribute:  // `files.Directory`: a dotted name (a module-level alias, say)
      if (is_dotted_name(v)) {
        info.text = std::string(text(v));
        info.kind = ValueKind::Name;
      }
      break;
    case Kind::Call: {
      info.text = std::string(text(field(v, Field::Function)));
      info.container = container_of_factory(info.text);
      TSNode args = field(v, Field::Arguments);
      const bool no_args = ts_node_is_null(first_named_child(args));
      info.kind = no_args && is_container_factory(info.text) ? ValueKind::EmptyContainer : ValueKind::Call;
      break;
    }
    default:
      break;
  }
  return info;
}

// `x = x + n`, `x = n + x`, `x = x - n`, ...: the value is a binary operation
// with the target itself as an operand.
bool Lowerer::is_self_update(const LocRef& target, TSNode value) {
  value = strip_parens(value);
  if (kind(value) != Kind::BinaryOperator) return false;
  // The target may sit anywhere in a tree of binary operations: `x = (x & a) | b`.
  std::vector<TSNode> stack{value};
  for (size_t steps = 0; !stack.empty() && steps < 256; ++steps) {
    TSNode v = strip_parens(stack.back());
    stack.pop_back();
    if (kind(v) == Kind::BinaryOperator) {
      stack.push_back(field(v, Field::Left));
      stack.push_back(field(v, Field::Right));
      continue;
    }
    auto operand = to_loc(v);
    if (operand && operand->same_place(target)) return true;
  }
  return false;
}

// A local name bound to a value: an alias of a shared location, an element
// taken from one, or a private object.
void Lowerer::bind_local(const std::string& name, TSNode value) {
  Env& env = *env_;
  std::optional<LocRef> alias;
  value = strip_parens(value);
  bind_iterator(name, value);
  if (auto made = check_made_by(value)) env.check_aliases[name] = std::move(*made);
  else env.check_aliases.erase(name);
  if (const ValueInfo v = value_info(value); v.container != Container::Unknown || v.kind == ValueKind::EmptyContainer)
    env.built_containers.insert(name);
  else
    env.built_containers.erase(name);
  if (!ts_node_is_null(value)) {
    switch (kind(value)) {
      case Kind::Identifier: case Kind::Attribute:
        alias = to_loc(value);
        break;
      case Kind::Subscript:
        if (auto l = to_loc(field(value, Field::Value))) alias = element_of(*l);
        break;
      case Kind::Call: {
        TSNode fn = field(value, Field::Function);
        if (kind(fn) == Kind::Attribute) {
          const std::string_view m = text(field(fn, Field::AttributeName));
          if (m == "get" || m == "pop" || m == "popleft" || m == "setdefault" || m == "popitem") {
            if (auto l = to_loc(field(fn, Field::Object))) {
              alias = element_of(*l);
              break;
            }
          }
        }
        // An object some other function hands back is not private to this
        // call; a constructor's result is.
        if (!is_constructor_call(text(fn)))
          if (auto callee = to_loc(fn); callee && callee->root != Root::Element)
            alias = LocRef{Root::Returned, "", "", std::string(text(value)), place(*callee)};
        break;
      }
      default:
        break;
    }
  }
  // A name assigned twice keeps the first shared alias it had.
  auto it = env.aliases.find(name);
  if (it == env.aliases.end() || !it->second) env.aliases[name] = std::move(alias);
}

// The check a bound value makes of a container: `d.get(k)` (Get), `k in d`,
// `k not in d`, `d.has_key(k)` (In).
std::optional<std::pair<LocRef, CheckKind>> Lowerer::check_made_by(TSNode value) {
  if (ts_node_is_null(value)) return std::nullopt;
  if (kind(value) == Kind::Call) {
    TSNode fn = field(value, Field::Function);
    if (kind(fn) != Kind::Attribute) return std::nullopt;
    const std::string_view m = text(field(fn, Field::AttributeName));
    if (m != "get" && m != "has_key") return std::nullopt;
    if (auto l = to_loc(field(fn, Field::Object))) return std::pair{*l, m == "get" ? CheckKind::Get : CheckKind::In};
    return std::nullopt;
  }
  std::vector<TSNode> ops;
  if (kind(value) == Kind::ComparisonOperator && is_membership(value, ops))
    if (auto l = to_loc(ops[1])) return std::pair{*l, CheckKind::In};
  return std::nullopt;
}

// The container a loop iterates a copy of: `list(d)`, `sorted(d.keys())`,
// `tuple(d.items())`, `random.sample(list(d), n)`, `list(d)[::2]`, `d.copy()`.
std::optional<LocRef> Lowerer::snapshot_source(TSNode it) {
  for (int steps = 0; steps < 8; ++steps) {
    it = strip_parens(it);
    if (ts_node_is_null(it)) return std::nullopt;
    if (kind(it) == Kind::Subscript) {
      it = field(it, Field::Value);
      continue;
    }
    if (kind(it) != Kind::Call) return std::nullopt;
    TSNode fn = field(it, Field::Function);
    std::vector<TSNode> pos;
    std::vector<std::pair<std::string_view, TSNode>> kw;
    call_arguments(it, pos, kw);
    const std::string_view callee = text(fn);
    if (kind(fn) == Kind::Attribute) {
      const std::string_view m = text(field(fn, Field::AttributeName));
      if (m == "copy" && pos.empty()) return to_loc(field(fn, Field::Object));
      if (m == "keys" || m == "items") return steps == 0 ? std::nullopt : to_loc(field(fn, Field::Object));
    }
    static constexpr std::string_view copies[] = {"list", "tuple", "sorted", "set", "frozenset", "random.sample",
                                                  "sample"};
    if (pos.empty() || std::find(std::begin(copies), std::end(copies), callee) == std::end(copies))
      return std::nullopt;
    it = pos[0];
    if (auto l = to_loc(it)) return l;
  }
  return std::nullopt;
}

// `a in b` / `a not in b` (two operands), filling `operands`.
bool Lowerer::is_membership(TSNode comparison, std::vector<TSNode>& operands) {
  operands = named_children(comparison);
  if (operands.size() != 2) return false;
  const uint32_t b = ts_node_end_byte(operands[0]), e = ts_node_start_byte(operands[1]);
  const std::string_view op = e > b ? src_.substr(b, e - b) : std::string_view();
  return op.find("in") != std::string_view::npos && op.find("is") == std::string_view::npos;
}

// `Foo(...)`, `dict(...)`, `copy.copy(x)`: a call that makes a new object.
bool Lowerer::is_constructor_call(std::string_view callee) {
  const size_t dot = callee.rfind('.');
  std::string_view last = dot == std::string_view::npos ? callee : callee.substr(dot + 1);
  while (!last.empty() && last[0] == '_') last.remove_prefix(1);  // _Usage()
  if (!last.empty() && last[0] >= 'A' && last[0] <= 'Z') return true;
  static constexpr std::string_view fresh[] = {"dict", "list", "set", "tuple", "frozenset", "bytearray", "object",
                                               "copy", "deepcopy", "sorted", "deque", "defaultdict", "local",
                                               "str", "bytes", "int", "float", "open", "iter", "reversed", "zip",
                                               "enumerate", "map", "filter", "range", "namedtuple"};
  for (auto f : fresh)
    if (last == f) return true;
  return false;
}

LocRef Lowerer::element_of(const LocRef& container) {
  LocRef e;
  e.root = Root::Element;
  e.base = place(container);
  return e;
}

void Lowerer::bind_private(TSNode target) {
  DepthGuard depth_guard(*this);
  if (ts_node_is_null(target) || too_deep(target)) return;
  if (env_->type != Env::Type::Function) return;
  if (kind(target) == Kind::Identifier) env_->aliases[std::string(text(target))] = std::nullopt;
  else for_each_named_child(target, [&](TSNode c) { bind_private(c); });
}

void Lowerer::bind_loop_targets(TSNode left, const std::optional<LocRef>& elem) {
  DepthGuard depth_guard(*this);
  if (ts_node_is_null(left) || too_deep(left)) return;
  if (ts_node_is_null(left) || env_->type != Env::Type::Function) return;
  if (kind(left) == Kind::Identifier) {
    env_->aliases[std::string(text(left))] = elem;
    return;
  }
  for_each_named_child(left, [&](TSNode c) { bind_loop_targets(c, elem); });
}

std::optional<LocRef> Lowerer::getattr_target(TSNode expr) {
  if (kind(expr) != Kind::Call || text(field(expr, Field::Function)) != "getattr") return std::nullopt;
  std::vector<TSNode> pos;
  std::vector<std::pair<std::string_view, TSNode>> kw;
  call_arguments(expr, pos, kw);
  if (pos.size() < 2 || pos.size() > 3 || kind(pos[1]) != Kind::String) return std::nullopt;
  auto l = to_loc(pos[0]);
  const std::string_view quoted = text(pos[1]);
  if (!l || quoted.size() < 3 || quoted.front() != quoted.back()) return std::nullopt;
  const std::string attr(quoted.substr(1, quoted.size() - 2));
  if (attr.find_first_of("'\" .{}") != std::string::npos) return std::nullopt;
  if (!l->path.empty()) l->path += '.';
  l->path += attr;
  l->text += "." + attr;
  return l;
}

}  // namespace raceaudit::lowering
