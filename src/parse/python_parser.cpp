#include "parse/python_parser.h"

#include <stdexcept>

namespace raceaudit {

PythonParser::PythonParser() : parser_(ts_parser_new()) {
  if (!ts_parser_set_language(parser_, tree_sitter_python()))
    throw std::runtime_error("tree-sitter-python grammar ABI does not match the tree-sitter runtime");
}

PythonParser::~PythonParser() { ts_parser_delete(parser_); }

TreePtr PythonParser::parse(std::string_view text) {
  ts_parser_reset(parser_);
  return TreePtr(ts_parser_parse_string(parser_, nullptr, text.data(), static_cast<uint32_t>(text.size())));
}

}  // namespace raceaudit
