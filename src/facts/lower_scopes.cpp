// Lowering: scopes (functions, classes), the binding pre-pass, parameters, imports.
#include "facts/lowerer.h"

#include "models/test_frameworks.h"
#include "models/threading_apis.h"

namespace raceaudit::lowering {

// ---- scopes -------------------------------------------------------------
int32_t Lowerer::new_scope(ScopeKind k, TSNode def, std::string_view name) {
  Scope s;
  s.kind = k;
  s.name = std::string(name);
  s.parent = env_->scope;
  const Scope& parent = out_.scopes[env_->scope];
  s.qualname = parent.kind == ScopeKind::Module ? s.name : parent.qualname + "." + s.name;
  s.span = span(def);
  if (k == ScopeKind::Class) {
    s.enclosing_class = static_cast<int32_t>(out_.scopes.size());
  } else if (parent.kind == ScopeKind::Class) {
    s.is_method = true;
    s.enclosing_class = env_->scope;
  } else {
    s.enclosing_class = parent.enclosing_class;
  }
  out_.scopes.push_back(std::move(s));
  return static_cast<int32_t>(out_.scopes.size() - 1);
}

// Collects the names a function body binds (Python's local scope rule).
void Lowerer::collect_bindings(TSNode n, Env& env) {
  DepthGuard g(*this);
  if (!g.ok) return;
  switch (kind(n)) {
    case Kind::FunctionDefinition:
    case Kind::ClassDefinition: {
      TSNode name = field(n, Field::Name);
      if (!ts_node_is_null(name)) env.locals.emplace(text(name));
      return;  // their bodies are other scopes
    }
    case Kind::Lambda:
      return;
    case Kind::GlobalStatement:
      for_each_named_child(n, [&](TSNode c) { if (kind(c) == Kind::Identifier) env.globals.emplace(text(c)); });
      return;
    case Kind::NonlocalStatement:
      for_each_named_child(n, [&](TSNode c) { if (kind(c) == Kind::Identifier) env.nonlocals.emplace(text(c)); });
      return;
    case Kind::Assignment:
    case Kind::AugmentedAssignment:
      bind_targets(field(n, Field::Left), env);
      collect_bindings_children(n, env);
      return;
    case Kind::ForStatement:
    case Kind::ForInClause:
      bind_targets(field(n, Field::Left), env);
      collect_bindings_children(n, env);
      return;
    case Kind::NamedExpression:
      bind_targets(field(n, Field::Name), env);
      collect_bindings_children(n, env);
      return;
    case Kind::AsPattern:
      // `with x as y`, `except E as e`, `case P as q`: the target is a local.
      for_each_named_child(n, [&](TSNode c) {
        if (kind(c) == Kind::AsPatternTarget) bind_targets(c, env);
        else collect_bindings(c, env);
      });
      return;
    case Kind::ImportStatement:
    case Kind::ImportFromStatement:
      for_each_named_child(n, [&](TSNode c, Field f) {
        if (f != Field::Name) return;
        if (kind(c) == Kind::AliasedImport) env.locals.emplace(text(field(c, Field::Alias)));
        else {
          const std::string_view t = text(c);
          env.locals.emplace(t.substr(0, t.find('.')));
        }
      });
      return;
    default:
      if (!in_binding_expression_ && is_plain_expression(kind(n))) {
        // Inside an expression only `:=` and comprehension `for` clauses
        // bind: skip the subtree when its text has neither (checked once,
        // at the outermost expression, so the search stays linear).
        const std::string_view t = text(n);
        if (t.find(":=") == std::string_view::npos && t.find("for") == std::string_view::npos) return;
        in_binding_expression_ = true;
        collect_bindings_children(n, env);
        in_binding_expression_ = false;
        return;
      }
      collect_bindings_children(n, env);
  }
}

bool Lowerer::is_plain_expression(Kind k) {
  switch (k) {
    case Kind::Identifier: case Kind::Attribute: case Kind::Call: case Kind::ArgumentList:
    case Kind::KeywordArgument: case Kind::Subscript: case Kind::Slice: case Kind::BinaryOperator:
    case Kind::UnaryOperator: case Kind::NotOperator: case Kind::BooleanOperator:
    case Kind::ComparisonOperator: case Kind::ConditionalExpression: case Kind::ParenthesizedExpression:
    case Kind::Await: case Kind::ListComprehension: case Kind::SetComprehension:
    case Kind::DictionaryComprehension: case Kind::GeneratorExpression: case Kind::List:
    case Kind::Dictionary: case Kind::Set: case Kind::Tuple: case Kind::ExpressionList: case Kind::True:
    case Kind::False: case Kind::None: case Kind::Integer: case Kind::Float: case Kind::String:
    case Kind::Comment:
    // Statements and parts that hold only expressions (not expression_statement:
    // an assignment is one).
    case Kind::ReturnStatement: case Kind::DeleteStatement:
    case Kind::RaiseStatement: case Kind::Decorator: case Kind::Type:
      return true;
    default:
      return false;
  }
}

void Lowerer::collect_bindings_children(TSNode n, Env& env) {
  for_each_named_child(n, [&](TSNode c) { collect_bindings(c, env); });
}

void Lowerer::bind_targets(TSNode t, Env& env) {
  if (ts_node_is_null(t)) return;
  DepthGuard depth_guard(*this);
  if (ts_node_is_null(t) || too_deep(t)) return;
  switch (kind(t)) {
    case Kind::Identifier:
      env.locals.emplace(text(t));
      return;
    case Kind::PatternList: case Kind::TuplePattern: case Kind::ListPattern: case Kind::Tuple:
    case Kind::List: case Kind::ListSplatPattern: case Kind::ParenthesizedExpression: case Kind::ExpressionList:
      for_each_named_child(t, [&](TSNode c) { bind_targets(c, env); });
      return;
    case Kind::AsPatternTarget:
      for_each_named_child(t, [&](TSNode c) { bind_targets(c, env); });
      return;
    default:
      return;
  }
}

void Lowerer::visit_function(TSNode def, const std::vector<std::string>& decorators) {
  TSNode name = field(def, Field::Name);
  const std::string_view fname = ts_node_is_null(name) ? std::string_view("<function>") : text(name);
  const int32_t sid = new_scope(ScopeKind::Function, def, fname);
  {
    Scope& s = out_.scopes[sid];
    for (const auto& d : decorators) {
      if (d == "property" || d == "cached_property" || d == "functools.cached_property") s.is_property = true;
      else if (d == "classmethod") s.is_classmethod = true;
      else if (d == "staticmethod") s.is_staticmethod = true;
    }
    if (is_test_setup_name(fname, s.is_method)) s.is_test_setup = true;
    if (!decorators.empty()) s.decorator = intern_text(decorators.front());
    if (fname == "__init_subclass__" || fname == "__class_getitem__") s.is_classmethod = true;
    if (ts_node_child_count(def) > 0 && std::string_view(ts_node_type(ts_node_child(def, 0))) == "async")
      s.is_async = true;
    if (fname == "__new__") s.is_staticmethod = false;
    if (s.is_method) {
      s.is_init = fname == "__init__" || fname == "__new__" || fname == "__post_init__" ||
                  std::find(opt_.extra_init_methods.begin(), opt_.extra_init_methods.end(), fname) !=
                      opt_.extra_init_methods.end();
      // A metaclass's __init__ / __new__ run while a class is being created.
      const bool meta_init = out_.scopes[static_cast<size_t>(s.enclosing_class)].is_metaclass &&
                             (fname == "__init__" || fname == "__new__");
      s.is_class_init = fname == "__init_subclass__" || fname == "__set_name__" || meta_init;
    }
  }
  Env env;
  env.type = Env::Type::Function;
  env.scope = sid;
  env.outer = env_;
  TSNode params = field(def, Field::ParametersField);
  if (!ts_node_is_null(params)) read_parameters(params, sid, env);
  if (TSNode ret = ts_node_child_by_field_name(def, "return_type", 11); !ts_node_is_null(ret)) {
    std::string r(text(ret));
    if (r.size() >= 2 && (r.front() == '"' || r.front() == '\'') && r.back() == r.front()) r = r.substr(1, r.size() - 2);
    out_.scopes[sid].returns = intern_text(r);
  }
  {
    Scope& s = out_.scopes[sid];
    if (s.is_method && !s.params.empty() && !s.is_staticmethod) {
      const bool in_metaclass = out_.scopes[static_cast<size_t>(s.enclosing_class)].is_metaclass;
      if (s.is_classmethod || fname == "__new__" || in_metaclass) env.cls_name = s.params[0].name;
      else env.self_name = s.params[0].name;
    } else if (!s.is_method && !s.params.empty() && factory_methods_.count(s.qualname)) {
      env.self_name = s.params[0].name;  // made by a factory of the class, bound in its body
    }
  }
  TSNode body = field(def, Field::Body);
  if (ts_node_is_null(body)) return;
  collect_bindings_children(body, env);
  for (const auto& p : env.params) env.locals.erase(p);
  for (const auto& g : env.globals) env.locals.erase(g);
  BodyContext context(*this, env, true);
  note_state_gate(body, sid);
  note_body(sid, body);
  const int outer_view = view_return_;
  view_return_ = kNoReturnYet;
  visit_block(body);
  if (view_return_ >= 0) out_.view_helpers.push_back({out_.scopes[sid].qualname, static_cast<uint8_t>(view_return_)});
  view_return_ = outer_view;
}

void Lowerer::read_parameters(TSNode params, int32_t sid, Env& env) {
  for_each_named_child(params, [&](TSNode p) {
    Param param;
    switch (kind(p)) {
      case Kind::Identifier:
        param.name = std::string(text(p));
        param.required = true;
        break;
      case Kind::TypedParameter: {
        TSNode first = first_named_child(p);
        param.required = kind(first) == Kind::Identifier;
        param.name = std::string(text(first));
        param.annotation = std::string(text(field(p, Field::TypeField)));
        break;
      }
      case Kind::DefaultParameter:
      case Kind::TypedDefaultParameter: {
        param.name = std::string(text(field(p, Field::Name)));
        if (kind(p) == Kind::TypedDefaultParameter) param.annotation = std::string(text(field(p, Field::TypeField)));
        TSNode v = field(p, Field::Value);
        if (!ts_node_is_null(v) && (kind(v) == Kind::Identifier || kind(v) == Kind::Attribute))
          param.default_name = std::string(text(v));
        break;
      }
      case Kind::ListSplatPattern:
      case Kind::DictSplatParameter:
        param.name = std::string(text(p));
        param.name.erase(0, param.name.find_first_not_of('*'));
        break;
      default:
        return;  // `*`, `/` separators
    }
    // `*args: int`, `**kwargs: str`: the annotated form keeps its stars in the name node.
    param.name.erase(0, param.name.find_first_not_of('*'));
    if (param.name.empty()) return;
    // Strip quotes of string annotations: `fs: "FakeFilesystem"`.
    auto& a = param.annotation;
    if (a.size() >= 2 && (a.front() == '"' || a.front() == '\'') && a.back() == a.front()) a = a.substr(1, a.size() - 2);
    env.params.insert(param.name);
    out_.scopes[sid].params.push_back(std::move(param));
  });
}

// `type`, `abc.ABCMeta`, `enum.EnumMeta`, or a metaclass defined earlier in this module.
bool Lowerer::is_metaclass_base(std::string_view base) const {
  static constexpr std::string_view known[] = {"type", "ABCMeta", "abc.ABCMeta", "EnumMeta", "enum.EnumMeta",
                                               "EnumType", "enum.EnumType"};
  for (auto k : known)
    if (base == k) return true;
  return metaclasses_.count(std::string(base)) > 0;
}

void Lowerer::visit_class(TSNode def, const std::vector<std::string>& decorators) {
  TSNode name = field(def, Field::Name);
  const int32_t sid = new_scope(ScopeKind::Class, def, ts_node_is_null(name) ? "<class>" : text(name));
  for (const auto& d : decorators)
    if (d.find("dataclass") != std::string::npos || d == "attr.s" || d == "attrs" || d == "attr.attrs" ||
        d.find("define") != std::string::npos || d.find("frozen") != std::string::npos)
      out_.scopes[sid].is_record = true;
  TSNode supers = field(def, Field::Superclasses);
  if (!ts_node_is_null(supers)) {
    for_each_named_child(supers, [&](TSNode b) {
      if (kind(b) == Kind::KeywordArgument || kind(b) == Kind::Comment) return;
      const std::string_view base = text(b);
      out_.scopes[sid].bases.emplace_back(base);
      if (is_metaclass_base(base)) {
        out_.scopes[sid].is_metaclass = true;
        metaclasses_.insert(out_.scopes[sid].qualname);
      }
      for (std::string_view r : {"NamedTuple", "TypedDict", "BaseModel", "Struct"})
        if (base == r || (base.size() > r.size() && base.substr(base.size() - r.size() - 1) == "." + std::string(r)))
          out_.scopes[sid].is_record = true;
    });
    visit_children(supers);
  }
  Env env;
  env.type = Env::Type::Class;
  env.scope = sid;
  env.outer = env_;
  TSNode body = field(def, Field::Body);
  if (ts_node_is_null(body)) return;
  // Class-body names: everything the body binds directly.
  collect_bindings_children(body, env);
  collect_method_aliases(body, sid);
  collect_predicates(body, sid);
  collect_method_factories(body, sid);
  BodyContext context(*this, env, false);
  note_body(sid, body);
  visit_block(body);
}

void Lowerer::visit_import(TSNode st) {
  const bool from = kind(st) == Kind::ImportFromStatement;
  std::string base;
  if (from) {
    TSNode m = field(st, Field::ModuleName);
    base = resolve_module(m);
  }
  for_each_named_child(st, [&](TSNode c, Field f) {
    if (from && kind(c) == Kind::WildcardImport) {
      out_.imports.push_back(Import{"", base, "*"});
      return;
    }
    if (f != Field::Name) return;
    Import imp;
    std::string name;
    if (kind(c) == Kind::AliasedImport) {
      name = std::string(text(field(c, Field::Name)));
      imp.alias = std::string(text(field(c, Field::Alias)));
    } else {
      name = std::string(text(c));
    }
    if (from) {
      imp.module = base;
      imp.name = name;
      if (imp.alias.empty()) imp.alias = name;
    } else {
      imp.module = name;
      if (imp.alias.empty()) {
        imp.alias = name.substr(0, name.find('.'));
        imp.module = imp.alias;
      }
    }
    // Only module-level imports name things other modules can reach; a
    // function-level import still tells which module a local alias is.
    if (env_->type == Env::Type::Function) {
      env_->aliases[imp.alias] = LocRef{Root::Global, imp.alias, "", imp.alias};
    }
    out_.imports.push_back(std::move(imp));
  });
}

std::string Lowerer::resolve_module(TSNode m) {
  if (ts_node_is_null(m)) return {};
  if (kind(m) != Kind::RelativeImport) return std::string(text(m));
  std::string t(text(m));
  size_t dots = 0;
  while (dots < t.size() && t[dots] == '.') ++dots;
  std::string rest = t.substr(dots);
  std::string pkg = out_.module_name;
  // A module's package is its name minus the last part; a package's is itself.
  size_t up = out_.is_package ? dots - 1 : dots;
  for (size_t i = 0; i < up; ++i) {
    const size_t p = pkg.rfind('.');
    pkg = p == std::string::npos ? std::string() : pkg.substr(0, p);
  }
  if (rest.empty()) return pkg;
  return pkg.empty() ? rest : pkg + "." + rest;
}

}  // namespace raceaudit::lowering
