// Lowering: lookup predicates (issue 13 item 3). A method that answers
// whether its container holds the key it is given,
//
//     def _can_send(self, node):
//         conn = self._conns.get(node)
//         if not conn:
//             return False
//         return conn.connected()
//
// (or `return key in self._entries`, or `if key not in self._entries:
// return False`), is a check of that container where a condition calls it:
// `if not self._can_send(node): return` guards `self._conns[node]` as
// `if not self._conns.get(node): return` would. The summary is found before
// the class body is lowered, so calls from methods written above the
// predicate see it too.
#include "facts/lowerer.h"

namespace raceaudit::lowering {

namespace {

// How many statements of a predicate's body are looked at: the test comes first.
constexpr size_t kMaxPredicateStatements = 4;

}  // namespace

void Lowerer::collect_predicates(TSNode class_body, int32_t class_scope) {
  std::unordered_map<std::string, Predicate> found;
  for_each_method(class_body, [&](TSNode def) {
    std::vector<std::string> params;
    const TSNode list = field(def, Field::ParametersField);
    if (ts_node_is_null(list)) return;
    for (TSNode p : named_children(list)) {
      if (kind(p) == Kind::TypedParameter) p = first_named_child(p);
      if (!ts_node_is_null(p) && kind(p) == Kind::Identifier) params.emplace_back(text(p));
    }
    if (params.size() < 2) return;  // `self` and the key
    if (auto pred = predicate_of(field(def, Field::Body), params))
      found.emplace(std::string(text(field(def, Field::Name))), std::move(*pred));
  });
  if (!found.empty()) predicates_[class_scope] = std::move(found);
}

// `self.<path>` as written with the method's first parameter: the path, else "".
std::string Lowerer::self_path(TSNode n, std::string_view self) {
  n = strip_parens(n);
  if (ts_node_is_null(n) || !is_dotted_name(n) || kind(n) != Kind::Attribute) return {};
  const std::string_view t = text(n);
  if (t.size() <= self.size() + 1 || t.substr(0, self.size()) != self || t[self.size()] != '.') return {};
  return std::string(t.substr(self.size() + 1));
}

// `key in self.X` / `key not in self.X` with `key` a parameter other than self: X.
std::string Lowerer::membership_of_param(TSNode cond, const std::vector<std::string>& params) {
  if (ts_node_is_null(cond)) return {};
  cond = strip_parens(cond);
  if (!ts_node_is_null(cond) && kind(cond) == Kind::NotOperator) cond = strip_parens(field(cond, Field::Argument));
  std::vector<TSNode> ops;
  if (ts_node_is_null(cond) || kind(cond) != Kind::ComparisonOperator || !is_membership(cond, ops)) return {};
  if (kind(ops[0]) != Kind::Identifier) return {};
  if (std::find(params.begin() + 1, params.end(), text(ops[0])) == params.end()) return {};
  return self_path(ops[1], params[0]);
}

// `V = self.X.get(key)` with `key` a parameter other than self: V and X.
std::optional<std::pair<std::string, std::string>> Lowerer::lookup_of_param(TSNode st,
                                                                             const std::vector<std::string>& params) {
  if (kind(st) != Kind::ExpressionStatement) return std::nullopt;
  TSNode a = only_named_child(st);
  if (ts_node_is_null(a) || kind(a) != Kind::Assignment) return std::nullopt;
  TSNode left = field(a, Field::Left), right = strip_parens(field(a, Field::Right));
  if (ts_node_is_null(left) || kind(left) != Kind::Identifier || ts_node_is_null(right) || kind(right) != Kind::Call) return std::nullopt;
  TSNode fn = field(right, Field::Function);
  if (ts_node_is_null(fn) || kind(fn) != Kind::Attribute || text(field(fn, Field::AttributeName)) != "get") return std::nullopt;
  std::vector<TSNode> pos;
  std::vector<std::pair<std::string_view, TSNode>> kw;
  call_arguments(right, pos, kw);
  if (pos.empty() || kind(pos[0]) != Kind::Identifier ||
      std::find(params.begin() + 1, params.end(), text(pos[0])) == params.end())
    return std::nullopt;
  std::string path = self_path(field(fn, Field::Object), params[0]);
  if (path.empty()) return std::nullopt;
  return std::pair{std::string(text(left)), std::move(path)};
}

// `if not V:` / `if V is None:` whose body starts by returning.
bool Lowerer::returns_when_missing(TSNode st, std::string_view v) {
  if (kind(st) != Kind::IfStatement) return false;
  TSNode cond = strip_parens(field(st, Field::Condition));
  bool tests_v = false;
  if (ts_node_is_null(cond)) {
    return false;
  } else if (kind(cond) == Kind::NotOperator) {
    tests_v = text(strip_parens(field(cond, Field::Argument))) == v;
  } else if (kind(cond) == Kind::ComparisonOperator) {
    const std::vector<TSNode> ops = named_children(cond);
    if (ops.size() == 2 && text(ops[0]) == v && kind(ops[1]) == Kind::None) {
      const uint32_t b = ts_node_end_byte(ops[0]), e = ts_node_start_byte(ops[1]);
      tests_v = e > b && src_.substr(b, e - b).find("not") == std::string_view::npos;  // `is None`, not `is not None`
    }
  }
  TSNode first = first_named_child(field(st, Field::Consequence));
  return tests_v && !ts_node_is_null(first) && kind(first) == Kind::ReturnStatement;
}

std::optional<Lowerer::Predicate> Lowerer::predicate_of(TSNode body, const std::vector<std::string>& params) {
  if (ts_node_is_null(body)) return std::nullopt;
  std::vector<TSNode> sts = named_children(body);
  if (!sts.empty() && kind(sts[0]) == Kind::ExpressionStatement && !ts_node_is_null(only_named_child(sts[0])) &&
      kind(only_named_child(sts[0])) == Kind::String)
    sts.erase(sts.begin());  // the docstring
  if (sts.size() > kMaxPredicateStatements) sts.resize(kMaxPredicateStatements);
  std::optional<std::pair<std::string, std::string>> lookup;  // V = self.X.get(key)
  for (TSNode st : sts) {
    if (kind(st) == Kind::ReturnStatement) {
      std::string path = membership_of_param(first_named_child(st), params);
      if (!path.empty()) return Predicate{std::move(path), CheckKind::In};
      return std::nullopt;
    }
    if (kind(st) == Kind::IfStatement) {
      TSNode first = first_named_child(field(st, Field::Consequence));
      const bool returns = !ts_node_is_null(first) && kind(first) == Kind::ReturnStatement;
      std::string path = returns ? membership_of_param(field(st, Field::Condition), params) : std::string();
      if (!path.empty()) return Predicate{std::move(path), CheckKind::In};
      if (lookup && returns_when_missing(st, lookup->first)) return Predicate{lookup->second, CheckKind::Get};
      return std::nullopt;
    }
    if (!lookup) lookup = lookup_of_param(st, params);
  }
  return std::nullopt;
}

std::optional<std::pair<LocRef, CheckKind>> Lowerer::predicate_call(TSNode fn) {
  if (predicates_.empty() || kind(fn) != Kind::Attribute) return std::nullopt;
  auto receiver = to_loc(field(fn, Field::Object));
  if (!receiver || receiver->root != Root::Self || !receiver->path.empty()) return std::nullopt;
  auto c = predicates_.find(out_.scopes[static_cast<size_t>(env_->scope)].enclosing_class);
  if (c == predicates_.end()) return std::nullopt;
  auto p = c->second.find(std::string(text(field(fn, Field::AttributeName))));
  if (p == c->second.end()) return std::nullopt;
  LocRef container{Root::Self, receiver->root_name, p->second.path, receiver->text + "." + p->second.path};
  return std::pair{std::move(container), p->second.check};
}

}  // namespace raceaudit::lowering
