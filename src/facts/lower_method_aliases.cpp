// Lowering: bound-method aliases stored as attributes. LRU caches and pools
// bind a container's methods once (`self._remove = self._queue.remove`, in
// __init__ or a helper) and call the alias later: `self._remove(key)` is then
// a mutation of `self._queue` for every rule.
#include "facts/lowerer.h"

#include "models/container_ops.h"

namespace raceaudit::lowering {

namespace {

// How deep into nested blocks of a method the assignments are looked for.
constexpr unsigned kMaxAliasDepth = 12;

bool holds_statements(Kind k) {
  switch (k) {
    case Kind::Block: case Kind::IfStatement: case Kind::ElifClause: case Kind::ElseClause: case Kind::ForStatement:
    case Kind::WhileStatement: case Kind::WithStatement: case Kind::TryStatement: case Kind::ExceptClause:
    case Kind::FinallyClause:
      return true;
    default:
      return false;
  }
}

}  // namespace

void Lowerer::collect_method_aliases(TSNode class_body, int32_t class_scope) {
  std::unordered_map<std::string, MethodAlias> found;
  for_each_method(class_body, [&](TSNode def) {
    TSNode first = first_named_child(field(def, Field::ParametersField));
    if (!ts_node_is_null(first) && kind(first) == Kind::TypedParameter) first = first_named_child(first);
    if (ts_node_is_null(first) || kind(first) != Kind::Identifier) return;
    collect_aliases_in(field(def, Field::Body), text(first), found, 0);
  });
  if (!found.empty()) method_aliases_[class_scope] = std::move(found);
}

void Lowerer::collect_aliases_in(TSNode block, std::string_view self,
                                 std::unordered_map<std::string, MethodAlias>& out, unsigned depth) {
  if (ts_node_is_null(block) || depth > kMaxAliasDepth) return;
  for_each_named_child(block, [&](TSNode c) {
    if (holds_statements(kind(c))) {
      collect_aliases_in(c, self, out, depth + 1);
    } else if (kind(c) == Kind::ExpressionStatement) {
      const TSNode e = only_named_child(c);
      if (!ts_node_is_null(e) && kind(e) == Kind::Assignment) note_method_alias(e, self, out);
    }
  });
}

// `self.A = self.B.m` with `m` a mutator of built-in containers.
void Lowerer::note_method_alias(TSNode assignment, std::string_view self,
                                std::unordered_map<std::string, MethodAlias>& out) {
  TSNode left = field(assignment, Field::Left);
  TSNode right = strip_parens(field(assignment, Field::Right));
  if (kind(left) != Kind::Attribute || ts_node_is_null(right) || kind(right) != Kind::Attribute) return;
  TSNode owner = field(left, Field::Object);
  if (kind(owner) != Kind::Identifier || text(owner) != self) return;
  const std::string_view method = text(field(right, Field::AttributeName));
  if (container_method_op(method, 1) == Op::None) return;
  TSNode container = field(right, Field::Object);
  const std::string_view c = text(container);
  if (!is_dotted_name(container) || c.size() <= self.size() + 1 || c.substr(0, self.size()) != self ||
      c[self.size()] != '.')
    return;
  out.emplace(std::string(text(field(left, Field::AttributeName))),
              MethodAlias{std::string(c.substr(self.size() + 1)), std::string(method)});
}

std::optional<std::pair<LocRef, Op>> Lowerer::aliased_container_call(const LocRef& receiver, std::string_view attr,
                                                                     size_t nargs) {
  if (receiver.root != Root::Self || !receiver.path.empty() || method_aliases_.empty()) return std::nullopt;
  const int32_t cls = out_.scopes[static_cast<size_t>(env_->scope)].enclosing_class;
  auto c = method_aliases_.find(cls);
  if (c == method_aliases_.end()) return std::nullopt;
  auto a = c->second.find(std::string(attr));
  if (a == c->second.end()) return std::nullopt;
  const MethodAlias& alias = a->second;
  LocRef container{Root::Self, receiver.root_name, alias.path, receiver.root_name + "." + alias.path};
  return std::pair{std::move(container), container_method_op(alias.method, nargs)};
}

}  // namespace raceaudit::lowering
