// Lowering of NameUses (facts.h): every identifier that names a global some
// function of the module declares `global`, with its role, and where the
// module's top-level imports end; and the attributes read off imported names.
// Kept apart from the rest of lowering, and cheap where it has nothing to
// find: the attributes come from one pass over the text; the tree is walked
// (twice: the `global` names, then their uses; with a cursor and a depth
// bound) only in a module whose text says `global` at all. (Walking every
// tree cost about 14% of a one-job scan's CPU time on the benchmark corpus,
// /usr/lib/python3.11 and dist-packages; this way perf puts it at 2%.)
#include "facts/lower_name_uses.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "parse/syntax.h"

namespace raceaudit {
namespace {

class NameWalk {
 public:
  NameWalk(TSNode root, std::string_view text, unsigned max_depth, ModuleFacts& out)
      : src_(text), max_depth_(max_depth), out_(out), names_(out.names), cursor_(ts_tree_cursor_new(root)) {}
  ~NameWalk() { ts_tree_cursor_delete(&cursor_); }
  NameWalk(const NameWalk&) = delete;
  NameWalk& operator=(const NameWalk&) = delete;

  void run(TSNode root);

 private:
  // What an identifier met in this context does: read (Load), bind or be
  // stored into (Store), or, inside an import, annotation or match
  // pattern, anything it may (Pattern: taken as Store).
  enum class Ctx : uint8_t { Load, Store, Pattern };

  const Syntax& syn_ = Syntax::get();
  std::string_view src_;
  unsigned max_depth_;
  ModuleFacts& out_;
  NameUses& names_;
  TSTreeCursor cursor_;
  bool deep_ = false;
  std::unordered_set<std::string_view> aliases_;  // names the module's imports bind
  std::set<std::string_view> globals_, attributes_;
  std::unordered_map<std::string_view, uint16_t> ids_;  // global name -> NameUses::globals index

  std::string_view text(TSNode n) const {
    const uint32_t b = ts_node_start_byte(n), e = ts_node_end_byte(n);
    return e > b && e <= src_.size() ? src_.substr(b, e - b) : std::string_view();
  }
  static Span span(TSNode n) {
    const TSPoint s = ts_node_start_point(n), e = ts_node_end_point(n);
    return Span{s.row + 1, s.column + 1, e.row + 1, e.column + 1};
  }
  Kind kind(TSNode n) const { return syn_.kind(n); }
  TSNode field(TSNode n, Field f) const { return ts_node_child_by_field_id(n, syn_.id(f)); }
  static bool same(TSNode a, TSNode b) { return !ts_node_is_null(b) && ts_node_eq(a, b); }

  // Calls f(child) for each named child but comments of the cursor's node,
  // with the cursor on the child; the cursor is back on the node after.
  template <class F>
  void for_children(F&& f) {
    if (!ts_tree_cursor_goto_first_child(&cursor_)) return;
    do {
      const TSNode ch = ts_tree_cursor_current_node(&cursor_);
      if (ts_node_is_named(ch) && kind(ch) != Kind::Comment) f(ch);
    } while (ts_tree_cursor_goto_next_sibling(&cursor_));
    ts_tree_cursor_goto_parent(&cursor_);
  }
  void all(Ctx ctx, unsigned depth) {
    for_children([&](TSNode) { walk(ctx, depth + 1); });
  }

  void read_attributes();
  static bool says_global(std::string_view src);
  void collect(unsigned depth);
  void walk(Ctx ctx, unsigned depth);
  void assignment(TSNode n, bool statement, Ctx ctx, unsigned depth);
  void note(TSNode id, NameRole role, StoredValue value = StoredValue::NotSimple, TSNode at = {});
  StoredValue stored_value(TSNode v) const;
  bool plain_string(TSNode s) const;
  void top_level(TSNode root);
};

void NameWalk::run(TSNode root) {
  if (ts_node_has_error(root)) return;  // complete stays false
  for (const Import& i : out_.imports)
    if (!i.alias.empty()) aliases_.insert(i.alias);
  read_attributes();
  names_.module_attributes.assign(attributes_.begin(), attributes_.end());
  if (!says_global(src_)) {
    names_.complete = true;
    return;
  }
  collect(0);
  if (!deep_ && !globals_.empty()) {
    top_level(root);
    for (std::string_view g : globals_) {
      if (names_.globals.size() == UINT16_MAX) deep_ = true;
      if (deep_) break;
      ids_.emplace(g, static_cast<uint16_t>(names_.globals.size()));
      names_.globals.emplace_back(g);
    }
    ts_tree_cursor_reset(&cursor_, root);
    if (!deep_) walk(Ctx::Load, 0);
  }
  if (deep_) {
    names_ = NameUses{};
    return;
  }
  names_.complete = true;
}

// `name.attr` (and `name.a.b`, across white space and line breaks) where
// an import binds `name`, read from the text: strings and comments count
// too, which only makes a fix that relies on the list more careful.
void NameWalk::read_attributes() {
  if (aliases_.empty()) return;
  static const auto table = [] {
    std::array<bool, 256> t{};
    for (int c = 0; c < 256; ++c) t[static_cast<size_t>(c)] = c == '_' || std::isalnum(c) || c >= 0x80;
    return t;
  }();
  auto ident = [](unsigned char c) { return table[c]; };
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\\' || c == '\f'; };
  const size_t n = src_.size();
  bool rooted = false, attribute = false;  // the next identifier follows `.`: after an alias chain or not
  for (size_t i = 0; i < n;) {
    const auto c = static_cast<unsigned char>(src_[i]);
    if (c >= '0' && c <= '9') {  // a number: 1e5, 0x1f
      while (i < n && ident(static_cast<unsigned char>(src_[i]))) ++i;
      rooted = attribute = false;
      continue;
    }
    if (!ident(c)) {
      if (!blank(src_[i])) rooted = attribute = false;
      ++i;
      continue;
    }
    size_t k = i;
    while (k < n && ident(static_cast<unsigned char>(src_[k]))) ++k;
    const std::string_view word = src_.substr(i, k - i);
    size_t j = k;
    while (j < n && blank(src_[j])) ++j;
    const bool dotted = j + 1 < n && src_[j] == '.' && src_[j + 1] != '.';
    if (attribute && rooted) attributes_.insert(word);
    const bool root = attribute ? rooted : dotted && aliases_.count(word) > 0;
    attribute = dotted;
    rooted = dotted && root;
    i = dotted ? j + 1 : k;
  }
}

bool NameWalk::says_global(std::string_view src) {
  for (size_t at = src.find("global"); at != std::string_view::npos; at = src.find("global", at + 6)) {
    const bool starts = at == 0 || !(std::isalnum(static_cast<unsigned char>(src[at - 1])) || src[at - 1] == '_');
    const bool ends = at + 6 < src.size() && (src[at + 6] == ' ' || src[at + 6] == '\t' || src[at + 6] == '\\');
    if (starts && ends) return true;
  }
  return false;
}

// The first walk: the names `global` statements declare.
void NameWalk::collect(unsigned depth) {
  if (depth > max_depth_) {
    deep_ = true;
    return;
  }
  const TSNode n = ts_tree_cursor_current_node(&cursor_);
  switch (kind(n)) {
    case Kind::GlobalStatement:
      for_children([&](TSNode ch) {
        if (kind(ch) == Kind::Identifier) globals_.insert(text(ch));
      });
      return;
    case Kind::Identifier: case Kind::String: case Kind::Integer: case Kind::Float:
      return;
    default:
      break;
  }
  for_children([&](TSNode) { collect(depth + 1); });
}

// The second walk: each identifier naming one of the globals, in its context.
void NameWalk::walk(Ctx ctx, unsigned depth) {
  if (depth > max_depth_) {
    deep_ = true;
    return;
  }
  const TSNode n = ts_tree_cursor_current_node(&cursor_);
  const Ctx inner = ctx == Ctx::Pattern ? Ctx::Pattern : Ctx::Load;  // what most children are
  const Ctx target = ctx == Ctx::Pattern ? Ctx::Pattern : Ctx::Store;
  switch (kind(n)) {
    case Kind::Identifier:
      note(n, ctx == Ctx::Load ? NameRole::Load : NameRole::Store);
      return;
    case Kind::GlobalStatement:
      for_children([&](TSNode ch) {
        if (kind(ch) == Kind::Identifier) note(ch, NameRole::Declare);
      });
      return;
    case Kind::NonlocalStatement: case Kind::ImportStatement: case Kind::ImportFromStatement:
    case Kind::DottedName: case Kind::AliasedImport: case Kind::Type: case Kind::TypeAliasStatement:
      all(Ctx::Pattern, depth);
      return;
    case Kind::AsPatternTarget: case Kind::DeleteStatement:
      all(target, depth);
      return;
    case Kind::PatternList: case Kind::TuplePattern: case Kind::ListPattern: case Kind::Tuple: case Kind::List:
    case Kind::ParenthesizedExpression: case Kind::ExpressionList: case Kind::ListSplatPattern:
    case Kind::DictSplatParameter: case Kind::TypedParameter:
      all(ctx, depth);  // a target's parts are targets
      return;
    case Kind::Attribute: case Kind::KeywordArgument: {
      // `_uid.x = v` stores into the object `_uid` holds; neither `obj._uid`
      // nor `f(_uid=1)` names the global.
      const bool attribute = kind(n) == Kind::Attribute;
      const TSNode name = field(n, attribute ? Field::AttributeName : Field::Name);
      for_children([&](TSNode ch) {
        if (!same(ch, name)) walk(attribute ? ctx : inner, depth + 1);
      });
      return;
    }
    case Kind::Subscript: {
      const TSNode value = field(n, Field::Value);
      for_children([&](TSNode ch) { walk(same(ch, value) ? ctx : inner, depth + 1); });
      return;
    }
    case Kind::ExpressionStatement:
      for_children([&](TSNode ch) {
        if (kind(ch) == Kind::Assignment) assignment(ch, true, ctx, depth + 1);
        else walk(inner, depth + 1);
      });
      return;
    case Kind::Assignment:
      assignment(n, false, ctx, depth);
      return;
    case Kind::AugmentedAssignment: case Kind::ForStatement: case Kind::ForInClause: case Kind::NamedExpression:
    case Kind::ExceptClause: {
      const TSNode bound = kind(n) == Kind::NamedExpression ? field(n, Field::Name)
                           : kind(n) == Kind::ExceptClause  ? field(n, Field::Alias)
                                                            : field(n, Field::Left);
      for_children([&](TSNode ch) { walk(same(ch, bound) ? target : inner, depth + 1); });
      return;
    }
    case Kind::Parameters: case Kind::LambdaParameters:
      // Parameters bind; their defaults are read where the function is defined.
      for_children([&](TSNode p) {
        if (kind(p) != Kind::DefaultParameter && kind(p) != Kind::TypedDefaultParameter) {
          walk(target, depth + 1);
          return;
        }
        const TSNode value = field(p, Field::Value);
        for_children([&](TSNode part) { walk(same(part, value) ? inner : target, depth + 2); });
      });
      return;
    case Kind::FunctionDefinition: case Kind::ClassDefinition:
      for_children([&](TSNode ch) {
        if (kind(ch) == Kind::Identifier) note(ch, NameRole::Store);  // the name defined
        else walk(inner, depth + 1);
      });
      return;
    default: {
      const std::string_view type = ts_node_type(n);
      if (type == "case_pattern" || type == "type_parameter" || type == "future_import_statement") {
        all(Ctx::Pattern, depth);
      } else if (type == "list_splat" || type == "splat_pattern" || type == "parenthesized_list_splat") {
        all(ctx, depth);
      } else {
        all(inner, depth);
      }
      return;
    }
  }
}

// `name = value` as a statement of its own, one identifier target: a Store
// with what it stores. Chained (`a = b = v`) or unpacking ones are not.
void NameWalk::assignment(TSNode n, bool statement, Ctx ctx, unsigned depth) {
  if (depth > max_depth_) {
    deep_ = true;
    return;
  }
  const TSNode left = field(n, Field::Left), right = field(n, Field::Right);
  const bool plain = statement && ctx != Ctx::Pattern && !ts_node_is_null(left) && kind(left) == Kind::Identifier &&
                     !ts_node_is_null(right) && kind(right) != Kind::Assignment &&
                     kind(right) != Kind::AugmentedAssignment && std::string_view(ts_node_type(right)) != "yield";
  const Ctx inner = ctx == Ctx::Pattern ? Ctx::Pattern : Ctx::Load;
  for_children([&](TSNode ch) {
    if (!same(ch, left)) walk(inner, depth + 1);  // the value; an annotation is a Type
    else if (plain) note(ch, NameRole::Store, stored_value(right), right);
    else walk(ctx == Ctx::Pattern ? Ctx::Pattern : Ctx::Store, depth + 1);
  });
}

void NameWalk::note(TSNode id, NameRole role, StoredValue value, TSNode at) {
  const auto it = ids_.find(text(id));
  if (it == ids_.end()) return;
  NameUse u;
  u.name = it->second;
  u.role = role;
  u.span = span(id);
  if (value != StoredValue::NotSimple) {
    u.value_kind = value;
    u.value = span(at);
  }
  names_.uses.push_back(u);
}

bool NameWalk::plain_string(TSNode s) const {
  bool plain = true;
  const uint32_t n = ts_node_named_child_count(s);
  for (uint32_t i = 0; i < n && plain; ++i)
    plain = std::string_view(ts_node_type(ts_node_named_child(s, i))) != "interpolation";
  return plain;
}

StoredValue NameWalk::stored_value(TSNode v) const {
  switch (kind(v)) {
    case Kind::Integer: case Kind::Float: case Kind::True: case Kind::False: case Kind::None:
      return StoredValue::Literal;
    case Kind::String:
      return plain_string(v) ? StoredValue::Literal : StoredValue::Other;
    case Kind::UnaryOperator: {
      const TSNode a = field(v, Field::Argument);
      return !ts_node_is_null(a) && (kind(a) == Kind::Integer || kind(a) == Kind::Float) ? StoredValue::Literal
                                                                                         : StoredValue::Other;
    }
    case Kind::Identifier:
      return StoredValue::Name;
    case Kind::Attribute: {
      TSNode o = v;
      for (unsigned steps = 0; kind(o) == Kind::Attribute && steps < max_depth_; ++steps) o = field(o, Field::Object);
      return !ts_node_is_null(o) && kind(o) == Kind::Identifier ? StoredValue::Name : StoredValue::Other;
    }
    case Kind::ExpressionList: case Kind::PatternList:
      return StoredValue::Tuple;
    default:
      break;
  }
  if (std::string_view(ts_node_type(v)) != "concatenated_string") return StoredValue::Other;
  const uint32_t n = ts_node_named_child_count(v);
  for (uint32_t i = 0; i < n; ++i) {
    const TSNode s = ts_node_named_child(v, i);
    if (kind(s) == Kind::String && !plain_string(s)) return StoredValue::Other;
  }
  return StoredValue::Literal;
}

// The module's own statements: where its top-level imports end (those that
// end their line), the first statement after the docstring, and a plain
// `import contextvars`.
void NameWalk::top_level(TSNode root) {
  uint32_t prev_end = 0, pending_import = 0;
  bool first = true;
  ts_tree_cursor_reset(&cursor_, root);
  for_children([&](TSNode st) {
    const Span sp = span(st);
    if (pending_import && sp.line > pending_import) names_.import_ends.push_back(pending_import);
    pending_import = 0;
    const bool doc = first && kind(st) == Kind::ExpressionStatement && ts_node_named_child_count(st) == 1 &&
                     (kind(ts_node_named_child(st, 0)) == Kind::String ||
                      std::string_view(ts_node_type(ts_node_named_child(st, 0))) == "concatenated_string");
    first = false;
    if (!doc && !names_.first_line && sp.line > prev_end) names_.first_line = sp.line;
    const std::string_view type = ts_node_type(st);
    if (kind(st) == Kind::ImportStatement || kind(st) == Kind::ImportFromStatement ||
        type == "future_import_statement")
      pending_import = sp.end_line;
    if (kind(st) == Kind::ImportStatement && !names_.contextvars_line)
      for_children([&](TSNode name) {
        if (kind(name) == Kind::DottedName && text(name) == "contextvars") names_.contextvars_line = sp.line;
      });
    prev_end = sp.end_line;
  });
  if (pending_import) names_.import_ends.push_back(pending_import);
}

}  // namespace

void lower_name_uses(TSNode root, std::string_view text, unsigned max_depth, ModuleFacts& facts) {
  facts.names = NameUses{};
  NameWalk(root, text, max_depth, facts).run(root);
}

}  // namespace raceaudit
