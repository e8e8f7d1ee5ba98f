// Lowering: one walk over a tree-sitter-python tree that records scopes,
// accesses to possibly shared locations, the locks held at each, checks that
// guard later acts, calls and imports. See docs/analysis-model.md.
// This file: the entry point, tree helpers, the depth bound and lock regions.
#include "facts/lowerer.h"

#include "facts/lower_name_uses.h"
#include "facts/private_references.h"
#include "models/threading_apis.h"

namespace raceaudit::lowering {

void Lowerer::run(TSNode root) {
  Scope module;
  module.kind = ScopeKind::Module;
  module.name = out_.module_name;
  module.span = span(root);
  out_.scopes.push_back(std::move(module));
  Env env;
  env.type = Env::Type::Module;
  env.scope = 0;
  env_ = &env;
  collect_noreturn(root, 0);
  note_body(0, root);
  visit_block(root);
  env_ = nullptr;
}

// Where a fix can add a statement to a body (ModuleFacts::body_starts), for
// the module and classes. For the module also: after its
// leading imports, and before its first definition.
void Lowerer::note_body(int32_t sid, TSNode body) {
  const Scope& s = out_.scopes[static_cast<size_t>(sid)];
  const bool wanted = sid == 0 || s.kind == ScopeKind::Class;
  BodyStart start{sid, 0, 0};
  bool seen = false, doc = false, defined = false;
  for_each_named_child(body, [&](TSNode st) {
    if (kind(st) == Kind::Comment) return;
    const Span sp = span(st);
    if (sid == 0 && !defined) {
      if (kind(st) == Kind::FunctionDefinition || kind(st) == Kind::ClassDefinition ||
          kind(st) == Kind::DecoratedDefinition) {
        defined = true;
        out_.first_def_line = sp.line;
      } else if (kind(st) == Kind::ImportStatement || kind(st) == Kind::ImportFromStatement ||
                 std::string_view(ts_node_type(st)) == "future_import_statement") {
        out_.import_end_line = sp.end_line;
      }
    }
    if (!wanted || (seen && !doc)) return;
    const bool first = !seen;
    seen = true;
    start.indent = static_cast<uint16_t>(sp.col - 1);
    if (sid != 0 && sp.line == s.span.line) return;  // on the `def` line: no place
    const TSNode only = kind(st) == Kind::ExpressionStatement ? only_named_child(st) : TSNode{};
    doc = first && !ts_node_is_null(only) &&
          (kind(only) == Kind::String || std::string_view(ts_node_type(only)) == "concatenated_string");
    start.line = doc ? sp.end_line + 1 : sp.line;  // after the docstring, or before the first statement
  });
  if (wanted && start.line) out_.body_starts.push_back(start);
}

// Functions and methods of this module annotated `-> NoReturn` (or `Never`):
// a call to one ends its branch like `raise`. Module level and class bodies.
void Lowerer::collect_noreturn(TSNode block, unsigned depth) {
  if (depth > 4) return;
  for_each_named_child(block, [&](TSNode st) {
    TSNode def = st;
    if (kind(def) == Kind::DecoratedDefinition) def = field(def, Field::Definition);
    if (ts_node_is_null(def)) return;
    if (kind(def) == Kind::ClassDefinition) {
      if (TSNode body = field(def, Field::Body); !ts_node_is_null(body)) collect_noreturn(body, depth + 1);
      return;
    }
    if (kind(def) != Kind::FunctionDefinition) return;
    TSNode ret = ts_node_child_by_field_name(def, "return_type", 11);
    if (ts_node_is_null(ret)) return;
    std::string_view r = text(ret);
    if (r.size() >= 2 && (r.front() == '"' || r.front() == '\'')) r = r.substr(1, r.size() - 2);
    if (const size_t dot = r.rfind('.'); dot != std::string_view::npos) r = r.substr(dot + 1);
    if (r == "NoReturn" || r == "Never") noreturn_.emplace(text(field(def, Field::Name)));
  });
}

// `fail(...)`, `self._fail(...)`, `cls.abort(...)` as a statement, naming a
// NoReturn function of this module.
bool Lowerer::is_noreturn_call(TSNode st) {
  if (noreturn_.empty() || kind(st) != Kind::ExpressionStatement) return false;
  TSNode call = only_named_child(st);
  if (ts_node_is_null(call) || kind(call) != Kind::Call) return false;
  TSNode fn = field(call, Field::Function);
  if (kind(fn) == Kind::Attribute) {
    TSNode obj = field(fn, Field::Object);
    if (kind(obj) != Kind::Identifier) return false;
    fn = field(fn, Field::AttributeName);
  } else if (kind(fn) != Kind::Identifier) {
    return false;
  }
  return noreturn_.count(std::string(text(fn))) > 0;
}

TSTreeCursor& Lowerer::cursor_at_depth(TSNode n) {
  if (cursors_in_use_ == cursors_.size()) cursors_.push_back(ts_tree_cursor_new(n));
  else ts_tree_cursor_reset(&cursors_[cursors_in_use_], n);
  return cursors_[cursors_in_use_++];
}

// Named children without comments: tree-sitter puts comments (extras)
// anywhere, e.g. inside `if (  # why` parentheses, and lowering never wants
// them. first_named_child stops at the first (with `second`, the second).
TSNode Lowerer::first_named_child(TSNode n, TSNode* second) {
  TSNode first{};
  if (ts_node_is_null(n)) return first;
  CursorLease lease(*this, n);
  TSTreeCursor& c = lease.cursor;
  if (!ts_tree_cursor_goto_first_child(&c)) return first;
  do {
    TSNode ch = ts_tree_cursor_current_node(&c);
    if (!ts_node_is_named(ch) || kind(ch) == Kind::Comment) continue;
    if (!ts_node_is_null(first)) {
      *second = ch;
      break;
    }
    first = ch;
    if (!second) break;
  } while (ts_tree_cursor_goto_next_sibling(&c));
  return first;
}

// The named child when there is exactly one, else null.
TSNode Lowerer::only_named_child(TSNode n) {
  TSNode second{};
  const TSNode first = first_named_child(n, &second);
  return ts_node_is_null(second) ? first : TSNode{};
}

TSNode Lowerer::last_named_child(TSNode n) {
  TSNode last{};
  if (!ts_node_is_null(n)) for_each_named_child(n, [&](TSNode ch) { last = ch; });
  return last;
}

std::vector<TSNode> Lowerer::named_children(TSNode n) {
  std::vector<TSNode> v;
  for_each_named_child(n, [&](TSNode ch) { v.push_back(ch); });
  return v;
}

// Arguments of a call, positional and keyword, skipping comments.
void Lowerer::call_arguments(TSNode call, std::vector<TSNode>& positional,
                    std::vector<std::pair<std::string_view, TSNode>>& keywords) {
  TSNode args = field(call, Field::Arguments);
  if (ts_node_is_null(args) || kind(args) != Kind::ArgumentList) return;
  for_each_named_child(args, [&](TSNode a) {
    if (kind(a) == Kind::KeywordArgument)
      keywords.emplace_back(text(field(a, Field::Name)), field(a, Field::Value));
    else if (kind(a) != Kind::Comment)
      positional.push_back(a);
  });
}

TSNode Lowerer::strip_parens(TSNode n) {
  while (!ts_node_is_null(n) && kind(n) == Kind::ParenthesizedExpression) {
    const TSNode inner = only_named_child(n);
    if (ts_node_is_null(inner)) break;
    n = inner;
  }
  return n;
}

bool Lowerer::too_deep(TSNode n) {
  if (depth_ <= opt_.max_depth) return false;
  if (!depth_reported_) {
    depth_reported_ = true;
    out_.diagnostics.push_back({span(n), "nesting deeper than " + std::to_string(opt_.max_depth) +
                                             " levels; the inner part is not analysed"});
  }
  return true;
}

// ---- locks and checks -----------------------------------------------------

}  // namespace raceaudit::lowering

namespace raceaudit {

void lower_module(const TSTree* tree, std::string_view text, const LowerOptions& options, ModuleFacts& facts) {
  lowering::Lowerer lowerer(text, options, facts);
  lowerer.run(ts_tree_root_node(tree));
  lower_name_uses(ts_tree_root_node(tree), text, options.max_depth, facts);
  facts.private_references = private_references(text);
}

}  // namespace raceaudit
