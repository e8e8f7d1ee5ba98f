// Lowering: methods made by a factory. A class can build several methods
// from one template (loguru's logger):
//
//     @staticmethod
//     def _make_log_function(level):
//         def log_function(_self, _message):
//             for handler in _self._handlers.values(): ...
//         return log_function
//
//     trace = _make_log_function.__func__("TRACE")
//
// `log_function` is then a method of the class: its first parameter is the
// instance, as `self` is in a `def` of the class body.
#include "facts/lowerer.h"

namespace raceaudit::lowering {

void Lowerer::collect_method_factories(TSNode class_body, int32_t class_scope) {
  std::unordered_map<std::string, TSNode> defs;  // functions of the class body, by name
  for_each_method(class_body, [&](TSNode def) { defs.emplace(std::string(text(field(def, Field::Name))), def); });
  if (defs.empty()) return;
  const std::string& cls = out_.scopes[static_cast<size_t>(class_scope)].qualname;
  for_each_named_child(class_body, [&](TSNode st) {
    if (kind(st) != Kind::ExpressionStatement) return;
    TSNode a = only_named_child(st);
    if (ts_node_is_null(a) || kind(a) != Kind::Assignment) return;
    TSNode left = field(a, Field::Left), value = strip_parens(field(a, Field::Right));
    if (ts_node_is_null(left) || kind(left) != Kind::Identifier || ts_node_is_null(value) || kind(value) != Kind::Call)
      return;
    // `trace = _make(...)` or `trace = _make.__func__(...)` (a staticmethod called in its own class body).
    TSNode fn = field(value, Field::Function);
    if (!ts_node_is_null(fn) && kind(fn) == Kind::Attribute && text(field(fn, Field::AttributeName)) == "__func__")
      fn = field(fn, Field::Object);
    if (ts_node_is_null(fn) || kind(fn) != Kind::Identifier) return;
    auto factory = defs.find(std::string(text(fn)));
    if (factory == defs.end()) return;
    const std::string made = returned_function(field(factory->second, Field::Body));
    if (!made.empty()) factory_methods_.insert(cls + "." + factory->first + "." + made);
  });
}

// The name of a function defined at the top of `body` that `body` returns, else "".
std::string Lowerer::returned_function(TSNode body) {
  if (ts_node_is_null(body)) return {};
  std::unordered_set<std::string> nested;
  std::string returned;
  for_each_named_child(body, [&](TSNode st) {
    TSNode def = kind(st) == Kind::DecoratedDefinition ? field(st, Field::Definition) : st;
    if (!ts_node_is_null(def) && kind(def) == Kind::FunctionDefinition)
      nested.emplace(text(field(def, Field::Name)));
    if (kind(st) == Kind::ReturnStatement) {
      TSNode v = first_named_child(st);
      if (!ts_node_is_null(v) && kind(v) == Kind::Identifier) returned = std::string(text(v));
    }
  });
  return nested.count(returned) ? returned : std::string();
}

}  // namespace raceaudit::lowering
