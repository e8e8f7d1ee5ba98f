// Lowering: `if` statements of the shape a fix may replace whole
// (ModuleFacts::ifs, src/fix/ra005_fix.cpp): `if k not in d: d[k] = v`,
// `if k in d: del d[k]`, `if not os.path.exists(p): os.makedirs(p)`.
#include "facts/lowerer.h"

#include "models/name_tables.h"

namespace raceaudit::lowering {

namespace {

// A string literal without interpolation: no `f` among its prefix letters.
bool plain_string(std::string_view t) {
  for (char c : t) {
    if (c == '\'' || c == '"') return true;
    if (c == 'f' || c == 'F') return false;
  }
  return false;
}

}  // namespace

// Evaluating `n` cannot change anything or run project code, apart from
// attribute reads: literals, names, `a.b.c`, `-1`, tuples of those, and empty
// `[]`, `{}`, `()`, `list()`, `dict()`, `set()`.
bool Lowerer::is_pure(TSNode n, unsigned depth) {
  n = strip_parens(n);
  if (ts_node_is_null(n) || depth > 8) return false;
  switch (kind(n)) {
    case Kind::Identifier: case Kind::Integer: case Kind::Float: case Kind::True: case Kind::False:
    case Kind::None:
      return true;
    case Kind::String:
      return plain_string(text(n));
    case Kind::Attribute:
      return is_dotted_name(n);
    case Kind::UnaryOperator: {
      const TSNode operand = field(n, Field::Argument);
      return !ts_node_is_null(operand) && (kind(operand) == Kind::Integer || kind(operand) == Kind::Float);
    }
    case Kind::Tuple: {
      bool pure = true;
      for_each_named_child(n, [&](TSNode c) { pure = pure && is_pure(c, depth + 1); });
      return pure;
    }
    case Kind::List: case Kind::Dictionary:
      return ts_node_is_null(first_named_child(n));
    case Kind::Call:
      return value_info(n).kind == ValueKind::EmptyContainer && kind(field(n, Field::Function)) == Kind::Identifier;
    default:
      return false;
  }
}

// `d[k]`: the key's text, when the subscript has one key (not a slice).
std::optional<std::string_view> Lowerer::subscript_key(TSNode subscript, TSNode& key) {
  size_t keys = 0;
  for_each_named_child(subscript, [&](TSNode c, Field f) {
    if (f != Field::SubscriptField) return;
    key = c;
    ++keys;
  });
  if (keys != 1 || kind(key) == Kind::Slice) return std::nullopt;
  return text(key);
}

// The test of a replaceable `if`: `k in d`, `k not in d`, `not os.path.exists(p)`.
// Sets `key` to the tested key or path, `negated`, and `isdir` for os.path.isdir.
bool Lowerer::replaceable_test(TSNode cond, TSNode& key, bool& negated, bool& isdir) {
  cond = strip_parens(cond);
  if (ts_node_is_null(cond)) return false;
  std::vector<TSNode> ops;
  if (kind(cond) == Kind::ComparisonOperator && is_membership(cond, ops)) {
    const uint32_t b = ts_node_end_byte(ops[0]), e = ts_node_start_byte(ops[1]);
    negated = src_.substr(b, e - b).find("not") != std::string_view::npos;
    key = ops[0];
    return true;
  }
  if (kind(cond) != Kind::NotOperator) return false;
  TSNode arg = field(cond, Field::Argument);
  if (ts_node_is_null(arg)) arg = first_named_child(cond);
  TSNode call = strip_parens(arg);
  if (ts_node_is_null(call) || kind(call) != Kind::Call) return false;
  // exists / isdir only: after isfile or lexists a directory call means something else.
  const std::string_view callee = text(field(call, Field::Function));
  const bool exists = callee.ends_with("exists") && !callee.ends_with("lexists");
  if (!is_path_check(callee) || !(exists || callee.ends_with("isdir"))) return false;
  std::vector<TSNode> pos;
  std::vector<std::pair<std::string_view, TSNode>> kw;
  call_arguments(call, pos, kw);
  if (pos.size() != 1 || !kw.empty()) return false;
  key = pos[0];
  negated = true;
  isdir = !exists;
  return true;
}

// The body statement's act: a store or delete of one item, or a call with the
// path as its one argument. Fills the body kind, key, value and callee.
bool Lowerer::replaceable_body(TSNode st, ReplaceableIf& r, TSNode& key, TSNode& value) {
  if (kind(st) == Kind::DeleteStatement) {
    TSNode target = only_named_child(st);
    if (ts_node_is_null(target) || kind(target) != Kind::Subscript || !subscript_key(target, key)) return false;
    r.body = IfBody::DeleteItem;
    r.container = intern_text(std::string(text(field(target, Field::Value))));
    return true;
  }
  if (kind(st) != Kind::ExpressionStatement) return false;
  TSNode e = only_named_child(st);
  if (ts_node_is_null(e)) return false;
  if (kind(e) == Kind::Assignment) {
    TSNode left = field(e, Field::Left);
    value = field(e, Field::Right);
    if (!ts_node_is_null(field(e, Field::TypeField)) || ts_node_is_null(value) || kind(value) == Kind::Assignment ||
        kind(left) != Kind::Subscript || !subscript_key(left, key))
      return false;
    r.body = IfBody::StoreItem;
    r.container = intern_text(std::string(text(field(left, Field::Value))));
    r.value = intern_text(std::string(text(value)));
    return true;
  }
  if (kind(e) != Kind::Call) return false;
  std::vector<TSNode> pos;
  std::vector<std::pair<std::string_view, TSNode>> kw;
  call_arguments(e, pos, kw);
  if (pos.size() != 1 || !kw.empty()) return false;
  key = pos[0];
  r.body = IfBody::PathCall;
  r.callee = intern_text(std::string(text(field(e, Field::Function))));
  return true;
}

// The act in the body that `check` guards and that the body's shape names.
std::optional<uint32_t> Lowerer::guarded_act(uint32_t check, size_t guarded_from, IfBody body) {
  const Op want = body == IfBody::StoreItem ? Op::SetItem : body == IfBody::DeleteItem ? Op::DelItem : Op::PathAct;
  for (size_t i = guarded_from; i < out_.guarded.size(); ++i)
    if (out_.guarded[i].check == check && out_.accesses[out_.guarded[i].act].op == want) return out_.guarded[i].act;
  return std::nullopt;
}

// After lowering the `if` statement `st`, whose condition made the checks
// `found` and whose body added guarded pairs from `guarded_from` on.
void Lowerer::note_replaceable_if(TSNode st, const std::vector<ActiveCheck>& found, size_t guarded_from) {
  if (kind(st) != Kind::IfStatement || !ts_node_is_null(field(st, Field::Alternative)) || found.size() != 1) return;
  TSNode body = field(st, Field::Consequence);
  if (ts_node_is_null(body) || kind(body) != Kind::Block) return;
  const TSNode only = only_named_child(body);
  ReplaceableIf r;
  TSNode test_key{}, act_key{}, value{};
  if (ts_node_is_null(only) || !replaceable_test(field(st, Field::Condition), test_key, r.negated, r.isdir) ||
      !replaceable_body(only, r, act_key, value) || text(test_key) != text(act_key))
    return;
  const auto act = guarded_act(found[0].access, guarded_from, r.body);
  if (!act) return;
  r.act = *act;
  r.key = intern_text(std::string(text(test_key)));
  r.pure = is_pure(test_key, 0) && (r.body != IfBody::StoreItem || is_pure(value, 0));
  const Span whole = span(st), cond = span(field(st, Field::Condition)), last = span(only);
  r.span = Span{whole.line, whole.col, last.end_line, last.end_col};
  r.test = Span{whole.line, whole.col, cond.end_line, cond.end_col};
  const uint32_t start = ts_node_start_byte(st);
  r.indent = intern_text(std::string(src_.substr(start - ts_node_start_point(st).column, ts_node_start_point(st).column)));
  size_t eol = src_.find('\n', ts_node_end_byte(only));
  if (eol == std::string_view::npos) eol = src_.size();
  if (eol > 0 && eol <= src_.size() && eol > ts_node_end_byte(only) && src_[eol - 1] == '\r') --eol;
  const uint32_t end_col = last.end_col + static_cast<uint32_t>(eol - ts_node_end_byte(only));
  r.line_end = Span{last.end_line, end_col, last.end_line, end_col};
  out_.ifs.push_back(r);
}

}  // namespace raceaudit::lowering
