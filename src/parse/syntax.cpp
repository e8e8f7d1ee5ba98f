#include "parse/syntax.h"

#include <cstring>
#include <string_view>
#include <unordered_map>

#include "parse/python_parser.h"

namespace raceaudit {

const Syntax& Syntax::get() {
  static const Syntax instance;
  return instance;
}

Syntax::Syntax() {
  const TSLanguage* lang = tree_sitter_python();
  static const std::unordered_map<std::string_view, Kind> by_name = {
      {"module", Kind::Module}, {"block", Kind::Block}, {"comment", Kind::Comment},
      {"class_definition", Kind::ClassDefinition}, {"function_definition", Kind::FunctionDefinition},
      {"decorated_definition", Kind::DecoratedDefinition}, {"decorator", Kind::Decorator}, {"lambda", Kind::Lambda},
      {"expression_statement", Kind::ExpressionStatement}, {"assignment", Kind::Assignment},
      {"augmented_assignment", Kind::AugmentedAssignment}, {"delete_statement", Kind::DeleteStatement},
      {"return_statement", Kind::ReturnStatement}, {"if_statement", Kind::IfStatement},
      {"elif_clause", Kind::ElifClause}, {"else_clause", Kind::ElseClause}, {"while_statement", Kind::WhileStatement},
      {"for_statement", Kind::ForStatement}, {"with_statement", Kind::WithStatement}, {"with_clause", Kind::WithClause},
      {"with_item", Kind::WithItem}, {"try_statement", Kind::TryStatement}, {"except_clause", Kind::ExceptClause},
      {"finally_clause", Kind::FinallyClause}, {"raise_statement", Kind::RaiseStatement},
      {"continue_statement", Kind::ContinueStatement}, {"break_statement", Kind::BreakStatement},
      {"global_statement", Kind::GlobalStatement}, {"nonlocal_statement", Kind::NonlocalStatement},
      {"import_statement", Kind::ImportStatement}, {"import_from_statement", Kind::ImportFromStatement},
      {"aliased_import", Kind::AliasedImport}, {"dotted_name", Kind::DottedName},
      {"relative_import", Kind::RelativeImport}, {"import_prefix", Kind::ImportPrefix},
      {"wildcard_import", Kind::WildcardImport}, {"identifier", Kind::Identifier}, {"attribute", Kind::Attribute},
      {"call", Kind::Call}, {"argument_list", Kind::ArgumentList}, {"keyword_argument", Kind::KeywordArgument},
      {"subscript", Kind::Subscript}, {"slice", Kind::Slice}, {"binary_operator", Kind::BinaryOperator},
      {"unary_operator", Kind::UnaryOperator}, {"not_operator", Kind::NotOperator},
      {"boolean_operator", Kind::BooleanOperator}, {"comparison_operator", Kind::ComparisonOperator},
      {"conditional_expression", Kind::ConditionalExpression},
      {"parenthesized_expression", Kind::ParenthesizedExpression}, {"named_expression", Kind::NamedExpression},
      {"await", Kind::Await}, {"list_comprehension", Kind::ListComprehension},
      {"set_comprehension", Kind::SetComprehension}, {"dictionary_comprehension", Kind::DictionaryComprehension},
      {"generator_expression", Kind::GeneratorExpression}, {"for_in_clause", Kind::ForInClause},
      {"if_clause", Kind::IfClause}, {"list", Kind::List}, {"dictionary", Kind::Dictionary}, {"set", Kind::Set},
      {"tuple", Kind::Tuple}, {"pattern_list", Kind::PatternList}, {"tuple_pattern", Kind::TuplePattern},
      {"list_pattern", Kind::ListPattern}, {"expression_list", Kind::ExpressionList},
      {"list_splat_pattern", Kind::ListSplatPattern}, {"true", Kind::True}, {"false", Kind::False},
      {"none", Kind::None}, {"integer", Kind::Integer}, {"float", Kind::Float}, {"string", Kind::String},
      {"parameters", Kind::Parameters}, {"lambda_parameters", Kind::LambdaParameters},
      {"typed_parameter", Kind::TypedParameter}, {"default_parameter", Kind::DefaultParameter},
      {"typed_default_parameter", Kind::TypedDefaultParameter},
      {"dictionary_splat_pattern", Kind::DictSplatParameter},
      {"type", Kind::Type}, {"type_alias_statement", Kind::TypeAliasStatement},
      {"as_pattern", Kind::AsPattern}, {"as_pattern_target", Kind::AsPatternTarget}, {"ERROR", Kind::Error},
  };
  const uint32_t nsym = ts_language_symbol_count(lang);
  kinds_.assign(nsym, Kind::Other);
  for (uint32_t s = 0; s < nsym; ++s) {
    if (ts_language_symbol_type(lang, static_cast<TSSymbol>(s)) != TSSymbolTypeRegular) continue;
    const auto it = by_name.find(ts_language_symbol_name(lang, static_cast<TSSymbol>(s)));
    if (it != by_name.end()) kinds_[s] = it->second;
  }
  static const std::unordered_map<std::string_view, Field> fields = {
      {"name", Field::Name}, {"body", Field::Body}, {"left", Field::Left}, {"right", Field::Right},
      {"object", Field::Object}, {"attribute", Field::AttributeName}, {"function", Field::Function},
      {"arguments", Field::Arguments}, {"condition", Field::Condition}, {"consequence", Field::Consequence},
      {"alternative", Field::Alternative}, {"value", Field::Value}, {"subscript", Field::SubscriptField},
      {"superclasses", Field::Superclasses}, {"parameters", Field::ParametersField}, {"type", Field::TypeField},
      {"operator", Field::Operator}, {"module_name", Field::ModuleName}, {"alias", Field::Alias},
      {"definition", Field::Definition}, {"operators", Field::Operators}, {"argument", Field::Argument},
  };
  const uint32_t nf = ts_language_field_count(lang);
  fields_.assign(nf + 1, Field::None);
  for (uint32_t f = 1; f <= nf; ++f) {
    const char* name = ts_language_field_name_for_id(lang, static_cast<TSFieldId>(f));
    if (!name) continue;
    const auto it = fields.find(name);
    if (it != fields.end()) {
      fields_[f] = it->second;
      ids_[static_cast<size_t>(it->second)] = static_cast<TSFieldId>(f);
    }
  }
}

}  // namespace raceaudit
