// Maps tree-sitter-python node symbols and field names to small enums so that
// lowering compares integers, not strings. Built once per process.
#pragma once

#include <cstdint>
#include <vector>

#include <tree_sitter/api.h>

namespace raceaudit {

enum class Kind : uint8_t {
  Other,
  Module, Block, Comment,
  ClassDefinition, FunctionDefinition, DecoratedDefinition, Decorator, Lambda,
  ExpressionStatement, Assignment, AugmentedAssignment, DeleteStatement, ReturnStatement,
  IfStatement, ElifClause, ElseClause, WhileStatement, ForStatement, WithStatement, WithClause, WithItem,
  TryStatement, ExceptClause, FinallyClause, RaiseStatement, ContinueStatement, BreakStatement,
  GlobalStatement, NonlocalStatement, ImportStatement, ImportFromStatement, AliasedImport, DottedName,
  RelativeImport, ImportPrefix, WildcardImport,
  Identifier, Attribute, Call, ArgumentList, KeywordArgument, Subscript, Slice,
  BinaryOperator, UnaryOperator, NotOperator, BooleanOperator, ComparisonOperator,
  ConditionalExpression, ParenthesizedExpression, NamedExpression, Await,
  ListComprehension, SetComprehension, DictionaryComprehension, GeneratorExpression, ForInClause, IfClause,
  List, Dictionary, Set, Tuple, PatternList, TuplePattern, ListPattern, ExpressionList, ListSplatPattern,
  True, False, None, Integer, Float, String,
  TypeAliasStatement, AsPattern, AsPatternTarget, Parameters, LambdaParameters, TypedParameter, DefaultParameter, TypedDefaultParameter,
  DictSplatParameter, Type, Error,
  Count_
};

enum class Field : uint8_t {
  None, Name, Body, Left, Right, Object, AttributeName, Function, Arguments, Condition, Consequence,
  Alternative, Value, SubscriptField, Superclasses, ParametersField, TypeField, Operator, ModuleName,
  Alias, Definition, Operators, Argument, Count_
};

class Syntax {
 public:
  static const Syntax& get();
  Kind kind(TSNode n) const {
    const TSSymbol s = ts_node_symbol(n);
    return s < kinds_.size() ? kinds_[s] : Kind::Other;
  }
  Field field(TSFieldId id) const { return id < fields_.size() ? fields_[id] : Field::None; }
  TSFieldId id(Field f) const { return ids_[static_cast<size_t>(f)]; }

 private:
  Syntax();
  std::vector<Kind> kinds_;
  std::vector<Field> fields_;
  TSFieldId ids_[static_cast<size_t>(Field::Count_)] = {};
};

}  // namespace raceaudit
