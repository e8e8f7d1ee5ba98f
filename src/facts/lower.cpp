// Lowering: one walk over a tree-sitter-python tree that records scopes,
// accesses to possibly shared locations, the locks held at each, checks that
// guard later acts, calls and imports. See docs/analysis-model.md.
#include "facts/lower.h"

#include <algorithm>
#include <cctype>
#include <deque>
#include <type_traits>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "models/container_ops.h"
#include "models/name_tables.h"
#include "models/threading_apis.h"
#include "parse/syntax.h"

namespace raceaudit {
namespace {

// A location expression as lowering sees it: a place and the text it is written as.
struct LocRef {
  Root root = Root::Self;
  std::string root_name;
  std::string path;
  std::string text;
  PlaceId base = kNoPlace;  // Element: the container; Returned: the callee

  bool same_place(const LocRef& o) const {
    return root == o.root && base == o.base && root_name == o.root_name && path == o.path;
  }
};

// Name binding facts of one function (or of the module / a class body).
struct Env {
  enum class Type { Module, Class, Function } type = Type::Module;
  int32_t scope = 0;
  const Env* outer = nullptr;  // enclosing function env, for closures
  std::unordered_set<std::string> params, locals, globals, nonlocals;
  std::string self_name, cls_name;
  // Local name -> the location it aliases (nullopt: a private object made here).
  std::unordered_map<std::string, std::optional<LocRef>> aliases;
};

struct ActiveCheck {
  PlaceId place;
  uint32_t access;
};

// What a value expression is, as far as facts care.
struct ValueInfo {
  ValueKind kind = ValueKind::Other;
  Container container = Container::Unknown;
  std::string text;  // the callee of a call, the name of a name
};

class Lowerer {
 public:
  Lowerer(std::string_view text, const LowerOptions& options, ModuleFacts& facts)
      : src_(text), opt_(options), out_(facts), syn_(Syntax::get()) {
    out_.locksets.emplace_back();
    lockset_ids_.emplace(std::string(), 0);
    out_.places.clear();
  }
  ~Lowerer() {
    for (TSTreeCursor& c : cursors_) ts_tree_cursor_delete(&c);
  }
  Lowerer(const Lowerer&) = delete;
  Lowerer& operator=(const Lowerer&) = delete;

  void run(TSNode root) {
    Scope module;
    module.kind = ScopeKind::Module;
    module.name = out_.module_name;
    module.span = span(root);
    out_.scopes.push_back(std::move(module));
    Env env;
    env.type = Env::Type::Module;
    env.scope = 0;
    env_ = &env;
    visit_block(root);
    env_ = nullptr;
  }

 private:
  std::string_view src_;
  std::deque<TSTreeCursor> cursors_;  // stable addresses; [0, cursors_in_use_) are leased
  size_t cursors_in_use_ = 0;
  const LowerOptions& opt_;
  ModuleFacts& out_;
  const Syntax& syn_;
  Env* env_ = nullptr;
  unsigned depth_ = 0;
  bool depth_reported_ = false;
  bool in_binding_expression_ = false;  // collect_bindings is inside an expression that may bind
  uint32_t order_ = 0;
  Span stmt_{};
  std::vector<PlaceId> held_;  // places of `with` items and acquire() calls (linking decides which are locks)
  uint32_t lockset_ = 0;
  bool lockset_dirty_ = false;
  std::unordered_map<std::string, uint32_t> lockset_ids_;  // sorted ids as bytes -> lockset
  std::unordered_map<std::string, PlaceId> place_ids_;     // interning key -> place
  // Checks whose branch is being lowered: a stack, indexed by location key so
  // that emitting an act costs one lookup, at most kMaxChecksPerKey pairs.
  static constexpr size_t kMaxChecksPerKey = 8;
  struct CheckStack {
    std::vector<std::pair<PlaceId, bool>> entries;  // place, indexed (false: over the per-place cap)
    std::unordered_map<PlaceId, std::vector<uint32_t>> by_key;
    size_t size() const { return entries.size(); }
    bool empty() const { return entries.empty(); }
    void push(const ActiveCheck& c) {
      auto& v = by_key[c.place];
      const bool indexed = v.size() < kMaxChecksPerKey;
      if (indexed) v.push_back(c.access);
      entries.emplace_back(c.place, indexed);
    }
    void pop_to(size_t n) {
      while (entries.size() > n) {
        auto& [key, indexed] = entries.back();
        if (indexed) {
          auto it = by_key.find(key);
          it->second.pop_back();
          if (it->second.empty()) by_key.erase(it);
        }
        entries.pop_back();
      }
    }
    void clear() { pop_to(0); }
  };
  CheckStack checks_;
  std::vector<ActiveCheck> last_if_checks_;  // checks of the `if` statement just visited
  bool type_call_base_ = false;  // inside a misparsed `type(x).attr = v` statement
  uint8_t handled_ = 0;          // race symptoms the enclosing try statements catch
  std::unordered_set<std::string> metaclasses_;  // qualnames of this module's metaclasses

  // ---- tree helpers -------------------------------------------------------
  Kind kind(TSNode n) const { return syn_.kind(n); }
  TSNode field(TSNode n, Field f) const { return ts_node_child_by_field_id(n, syn_.id(f)); }
  std::string_view text(TSNode n) const {
    const uint32_t b = ts_node_start_byte(n), e = ts_node_end_byte(n);
    return e > b && e <= src_.size() ? src_.substr(b, e - b) : std::string_view();
  }
  static Span span(TSNode n) {
    const TSPoint s = ts_node_start_point(n), e = ts_node_end_point(n);
    return Span{s.row + 1, s.column + 1, e.row + 1, e.column + 1};
  }
  // Visits named children in order. The field of each child is looked up only
  // when the callback takes one: ts_tree_cursor_current_field_id walks up the
  // cursor's hidden repetition nodes, which is costly on huge lists.
  template <class F>
  void for_each_named_child(TSNode n, F&& f) {
    constexpr bool wants_field = std::is_invocable_v<F, TSNode, Field>;
    CursorLease lease(*this, n);
    TSTreeCursor& c = lease.cursor;
    if (ts_tree_cursor_goto_first_child(&c)) {
      do {
        TSNode ch = ts_tree_cursor_current_node(&c);
        if (!ts_node_is_named(ch) || kind(ch) == Kind::Comment) continue;
        if constexpr (wants_field) f(ch, syn_.field(ts_tree_cursor_current_field_id(&c)));
        else f(ch);
      } while (ts_tree_cursor_goto_next_sibling(&c));
    }
  }
  // One cursor per level of for_each_named_child nesting, reset instead of
  // created and freed for every node (a TSTreeCursor allocates its stack).
  struct CursorLease {
    Lowerer& l;
    TSTreeCursor& cursor;
    CursorLease(Lowerer& lw, TSNode n) : l(lw), cursor(lw.cursor_at_depth(n)) {}
    ~CursorLease() { --l.cursors_in_use_; }
  };
  TSTreeCursor& cursor_at_depth(TSNode n) {
    if (cursors_in_use_ == cursors_.size()) cursors_.push_back(ts_tree_cursor_new(n));
    else ts_tree_cursor_reset(&cursors_[cursors_in_use_], n);
    return cursors_[cursors_in_use_++];
  }
  // Named children without comments: tree-sitter puts comments (extras)
  // anywhere, e.g. inside `if (  # why` parentheses, and lowering never wants
  // them. first_named_child stops at the first (with `second`, the second).
  TSNode first_named_child(TSNode n, TSNode* second = nullptr) {
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
  TSNode only_named_child(TSNode n) {
    TSNode second{};
    const TSNode first = first_named_child(n, &second);
    return ts_node_is_null(second) ? first : TSNode{};
  }
  TSNode last_named_child(TSNode n) {
    TSNode last{};
    if (!ts_node_is_null(n)) for_each_named_child(n, [&](TSNode ch) { last = ch; });
    return last;
  }
  std::vector<TSNode> named_children(TSNode n) {
    std::vector<TSNode> v;
    for_each_named_child(n, [&](TSNode ch) { v.push_back(ch); });
    return v;
  }
  // Arguments of a call, positional and keyword, skipping comments.
  void call_arguments(TSNode call, std::vector<TSNode>& positional,
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
  TSNode strip_parens(TSNode n) {
    while (!ts_node_is_null(n) && kind(n) == Kind::ParenthesizedExpression) {
      const TSNode inner = only_named_child(n);
      if (ts_node_is_null(inner)) break;
      n = inner;
    }
    return n;
  }

  // ---- depth bound --------------------------------------------------------
  struct DepthGuard {
    Lowerer& l;
    bool ok;
    explicit DepthGuard(Lowerer& lw) : l(lw), ok(++lw.depth_ <= lw.opt_.max_depth) {}
    ~DepthGuard() { --l.depth_; }
  };
  bool too_deep(TSNode n) {
    if (depth_ <= opt_.max_depth) return false;
    if (!depth_reported_) {
      depth_reported_ = true;
      out_.diagnostics.push_back({span(n), "nesting deeper than " + std::to_string(opt_.max_depth) +
                                               " levels; the inner part is not analysed"});
    }
    return true;
  }

  // ---- locks and checks -----------------------------------------------------
  uint32_t lockset() {
    if (!lockset_dirty_) return lockset_;
    lockset_dirty_ = false;
    std::vector<PlaceId> sorted = held_;
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    std::string joined(reinterpret_cast<const char*>(sorted.data()), sorted.size() * sizeof(PlaceId));
    auto [it, fresh] = lockset_ids_.emplace(std::move(joined), static_cast<uint32_t>(out_.locksets.size()));
    if (fresh) out_.locksets.push_back(std::move(sorted));
    return lockset_ = it->second;
  }
  void hold(PlaceId key) {
    held_.push_back(key);
    lockset_dirty_ = true;
  }
  void release(PlaceId key) {
    auto it = std::find(held_.rbegin(), held_.rend(), key);
    if (it != held_.rend()) {
      held_.erase(std::next(it).base());
      lockset_dirty_ = true;
    }
  }
  void restore_held(std::vector<PlaceId> saved) {
    held_ = std::move(saved);
    lockset_dirty_ = true;
  }

  // ---- names and locations ------------------------------------------------
  PlaceId place(const LocRef& l) {
    std::string key;
    key.reserve(l.root_name.size() + l.path.size() + 8);
    key += static_cast<char>(l.root);
    key.append(reinterpret_cast<const char*>(&l.base), sizeof(l.base));
    key += l.root_name;
    key += '\x1f';
    key += l.path;
    auto [it, fresh] = place_ids_.emplace(std::move(key), static_cast<PlaceId>(out_.places.size()));
    if (fresh) out_.places.push_back(Place{l.root, l.root_name, l.path, l.base});
    return it->second;
  }

  static const Env* function_env(const Env* e) {
    while (e && e->type == Env::Type::Class) e = e->outer;
    return e;
  }

  std::optional<LocRef> resolve_name(std::string_view name_view, bool for_write) {
    const std::string name(name_view);
    const Env* e = env_;
    if (e->type == Env::Type::Class) {
      // In a class body, names bound there are class attributes.
      if (for_write || e->locals.count(name)) return LocRef{Root::Cls, out_.scopes[e->scope].qualname, name, name};
      e = function_env(e->outer);
      if (!e) return LocRef{Root::Global, name, "", name};
    }
    if (e->type == Env::Type::Module) return LocRef{Root::Global, name, "", name};
    for (const Env* f = e; f; f = function_env(f->outer)) {
      if (f->type == Env::Type::Module) break;
      if (f->globals.count(name)) return LocRef{Root::Global, name, "", name};
      if (f->params.count(name)) {
        if (name == f->self_name) return LocRef{Root::Self, name, "", name};
        if (name == f->cls_name) return LocRef{Root::Cls, name, "", name};
        return LocRef{Root::Param, name, "", name};
      }
      if (f->locals.count(name) || f->nonlocals.count(name)) {
        auto it = f->aliases.find(name);
        if (it == f->aliases.end() || !it->second) return std::nullopt;
        LocRef r = *it->second;
        r.text = name;
        return r;
      }
    }
    return LocRef{Root::Global, name, "", name};
  }

  // The location an expression names, if it is one: a name, an attribute chain
  // on one, `type(self)` / `self.__class__`.
  // Walks down the `object` fields iteratively (attribute chains can be
  // arbitrarily long in hostile input); no real location has more than
  // kMaxPathParts parts.
  static constexpr size_t kMaxPathParts = 64;
  std::optional<LocRef> to_loc(TSNode n, bool for_write = false) {
    n = strip_parens(n);
    if (ts_node_is_null(n)) return std::nullopt;
    const TSNode whole = n;
    std::vector<std::string_view> attrs;  // innermost last
    std::vector<bool> paren_base;         // was the object of this attribute parenthesized?
    while (kind(n) == Kind::Attribute) {
      if (attrs.size() >= kMaxPathParts) return std::nullopt;
      const std::string_view attr = text(field(n, Field::AttributeName));
      if (attr.empty()) return std::nullopt;
      attrs.push_back(attr);
      TSNode obj = field(n, Field::Object);
      paren_base.push_back(!ts_node_is_null(obj) && kind(obj) == Kind::ParenthesizedExpression);
      n = strip_parens(obj);
      if (ts_node_is_null(n)) return std::nullopt;
    }
    std::optional<LocRef> base;
    if (kind(n) == Kind::Identifier) {
      base = resolve_name(text(n), for_write && attrs.empty());
    } else if (kind(n) == Kind::Call && text(field(n, Field::Function)) == "type") {
      // type(self): only a plain name inside, so no recursion is needed.
      std::vector<TSNode> pos;
      std::vector<std::pair<std::string_view, TSNode>> kw;
      call_arguments(n, pos, kw);
      if (pos.size() != 1) return std::nullopt;
      TSNode arg = strip_parens(pos[0]);
      if (ts_node_is_null(arg) || kind(arg) != Kind::Identifier) return std::nullopt;
      base = resolve_name(text(arg), false);
      if (!base || base->root != Root::Self || !base->path.empty()) return std::nullopt;
      base->root = Root::Cls;
    } else {
      return std::nullopt;
    }
    if (!base) return std::nullopt;
    for (size_t i = attrs.size(); i-- > 0;) {
      const std::string_view attr = attrs[i];
      if (type_call_base_ && paren_base[i] && base->root == Root::Self && base->path.empty())
        base->root = Root::Cls;  // `type(self).x`, misread by the grammar (see visit_type_alias)
      if (attr == "__class__" && base->root == Root::Self && base->path.empty()) {
        base->root = Root::Cls;
      } else {
        if (!base->path.empty()) base->path += '.';
        base->path += attr;
      }
    }
    if (!attrs.empty() || kind(whole) == Kind::Call) base->text = std::string(text(whole));
    return base;
  }

  // ---- emitting facts -----------------------------------------------------
  uint32_t emit(AccessKind k, const LocRef& loc, TSNode at, Op op = Op::None, ValueKind value = ValueKind::Other) {
    Access a;
    a.kind = k;
    a.op = op;
    a.handled = handled_;
    a.value = value;
    a.scope = env_->scope;
    a.place = place(loc);
    a.order = order_++;
    a.lockset = lockset();
    a.text = loc.text;
    a.span = span(at);
    a.stmt = stmt_;
    const auto idx = static_cast<uint32_t>(out_.accesses.size());
    if (k != AccessKind::Check && !checks_.empty()) {
      if (auto it = checks_.by_key.find(a.place); it != checks_.by_key.end())
        for (uint32_t c : it->second) out_.guarded.push_back({c, idx});
    }
    out_.accesses.push_back(std::move(a));
    return idx;
  }
  uint32_t emit_check(const LocRef& loc, TSNode at, CheckKind check) {
    const uint32_t idx = emit(AccessKind::Check, loc, at);
    out_.accesses[idx].check = check;
    return idx;
  }

  static Container literal_container(Kind k) {
    switch (k) {
      case Kind::List: case Kind::ListComprehension: return Container::List;
      case Kind::Dictionary: case Kind::DictionaryComprehension: return Container::Dict;
      case Kind::Set: case Kind::SetComprehension: return Container::Set;
      default: return Container::Unknown;
    }
  }

  // `a.b.c` made of names only, without calls, subscripts or parentheses.
  bool is_dotted_name(TSNode n) {
    for (unsigned steps = 0; steps < 64 && !ts_node_is_null(n); ++steps) {
      if (kind(n) == Kind::Identifier) return true;
      if (kind(n) != Kind::Attribute) return false;
      n = field(n, Field::Object);
    }
    return false;
  }

  ValueInfo value_info(TSNode v) {
    ValueInfo info;
    v = strip_parens(v);
    if (ts_node_is_null(v)) return info;
    info.container = literal_container(kind(v));
    switch (kind(v)) {
      case Kind::True: info.kind = ValueKind::True; break;
      case Kind::False: info.kind = ValueKind::False; break;
      case Kind::None: info.kind = ValueKind::None; break;
      case Kind::List: case Kind::Dictionary: case Kind::Set: case Kind::Tuple:
        if (ts_node_is_null(first_named_child(v))) info.kind = ValueKind::EmptyContainer;
        break;
      case Kind::Identifier:
        info.text = std::string(text(v));
        info.kind = ValueKind::Name;
        break;
      case Kind::Attribute:  // `files.Directory`: a dotted name (a module-level alias, say)
        if (is_dotted_name(v)) {
          info.text = std::string(text(v));
          info.kind = ValueKind::Name;
        }
        break;
      case Kind::Call: {
        info.text = std::string(text(field(v, Field::Function)));
        info.container = container_of_factory(info.text);
        TSNode args = field(v, Field::Arguments);
        const bool no_args = ts_node_is_null(first_named_child(args));
        info.kind = no_args && is_container_factory(info.text) ? ValueKind::EmptyContainer : ValueKind::Call;
        break;
      }
      default:
        break;
    }
    return info;
  }

  // ---- scopes -------------------------------------------------------------
  int32_t new_scope(ScopeKind k, TSNode def, std::string_view name) {
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
  void collect_bindings(TSNode n, Env& env) {
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
  static bool is_plain_expression(Kind k) {
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
  void collect_bindings_children(TSNode n, Env& env) {
    for_each_named_child(n, [&](TSNode c) { collect_bindings(c, env); });
  }
  void bind_targets(TSNode t, Env& env) {
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

  void visit_function(TSNode def, const std::vector<std::string>& decorators) {
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
      std::string& r = out_.scopes[sid].returns;
      r = std::string(text(ret));
      if (r.size() >= 2 && (r.front() == '"' || r.front() == '\'') && r.back() == r.front()) r = r.substr(1, r.size() - 2);
    }
    {
      Scope& s = out_.scopes[sid];
      if (s.is_method && !s.params.empty() && !s.is_staticmethod) {
        const bool in_metaclass = out_.scopes[static_cast<size_t>(s.enclosing_class)].is_metaclass;
        if (s.is_classmethod || fname == "__new__" || in_metaclass) env.cls_name = s.params[0].name;
        else env.self_name = s.params[0].name;
      }
    }
    TSNode body = field(def, Field::Body);
    if (ts_node_is_null(body)) return;
    collect_bindings_children(body, env);
    for (const auto& p : env.params) env.locals.erase(p);
    for (const auto& g : env.globals) env.locals.erase(g);
    // The body runs later, on whatever thread calls it: no lock or check carries in.
    std::vector<PlaceId> saved_held = std::move(held_);
    CheckStack saved_checks = std::move(checks_);
    checks_ = CheckStack();
    const uint8_t saved_handled = handled_;
    handled_ = 0;
    held_.clear();
    checks_.clear();
    lockset_dirty_ = true;
    Env* saved_env = env_;
    const Span saved_stmt = stmt_;
    env_ = &env;
    visit_block(body);
    env_ = saved_env;
    stmt_ = saved_stmt;
    restore_held(std::move(saved_held));
    checks_ = std::move(saved_checks);
    handled_ = saved_handled;
  }

  void read_parameters(TSNode params, int32_t sid, Env& env) {
    for_each_named_child(params, [&](TSNode p) {
      Param param;
      switch (kind(p)) {
        case Kind::Identifier:
          param.name = std::string(text(p));
          break;
        case Kind::TypedParameter: {
          TSNode first = first_named_child(p);
          if (kind(first) == Kind::Identifier) param.name = std::string(text(first));
          else param.name = std::string(text(first));
          param.annotation = std::string(text(field(p, Field::TypeField)));
          break;
        }
        case Kind::DefaultParameter:
          param.name = std::string(text(field(p, Field::Name)));
          break;
        case Kind::TypedDefaultParameter:
          param.name = std::string(text(field(p, Field::Name)));
          param.annotation = std::string(text(field(p, Field::TypeField)));
          break;
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
  bool is_metaclass_base(std::string_view base) const {
    static constexpr std::string_view known[] = {"type", "ABCMeta", "abc.ABCMeta", "EnumMeta", "enum.EnumMeta",
                                                 "EnumType", "enum.EnumType"};
    for (auto k : known)
      if (base == k) return true;
    return metaclasses_.count(std::string(base)) > 0;
  }

  void visit_class(TSNode def, const std::vector<std::string>& decorators) {
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
    Env* saved_env = env_;
    const Span saved_stmt = stmt_;
    env_ = &env;
    visit_block(body);
    env_ = saved_env;
    stmt_ = saved_stmt;
  }

  // ---- statements -----------------------------------------------------------
  static bool ends_flow(Kind k) {
    return k == Kind::ReturnStatement || k == Kind::RaiseStatement || k == Kind::ContinueStatement ||
           k == Kind::BreakStatement;
  }

  void visit_block(TSNode block) {
    const size_t checks_at_entry = checks_.size();
    std::vector<PlaceId> acquired;  // by `x.acquire()` statements of this block
    for_each_named_child(block, [&](TSNode st) {
      if (kind(st) == Kind::Comment) return;
      // `lock.acquire()` / `lock.release()` as a statement of this block.
      if (TSNode e = kind(st) == Kind::ExpressionStatement ? only_named_child(st) : TSNode{}; !ts_node_is_null(e)) {
        if (kind(e) == Kind::Call) {
          TSNode fn = field(e, Field::Function);
          // `_acquireLock()` ... `_releaseLock()` (logging's module lock),
          // `self._acquire_lock()`: lock helpers named for what they do.
          if (const int dir = lock_helper_direction(text(fn)); dir != 0) {
            const std::string_view t = text(fn);
            const size_t dot = t.rfind('.');
            const PlaceId key =
                place(LocRef{Root::LockHelper, "", std::string(dot == std::string_view::npos ? "" : t.substr(0, dot)), ""});
            if (dir > 0) {
              hold(key);
              acquired.push_back(key);
            } else {
              release(key);
            }
            return;
          }
          if (kind(fn) == Kind::Attribute) {
            const std::string_view m = text(field(fn, Field::AttributeName));
            if (m == "acquire" || m == "release") {
              if (auto l = to_loc(field(fn, Field::Object))) {
                const PlaceId key = place(*l);
                if (m == "acquire") {
                  hold(key);
                  acquired.push_back(key);
                } else {
                  release(key);
                }
                return;
              }
            }
          }
        }
      }
      last_if_checks_.clear();
      visit_statement(st);
      // `if not self.q: return` keeps its check active for the rest of the block.
      if (kind(st) == Kind::IfStatement && ts_node_is_null(field(st, Field::Alternative))) {
        TSNode cons = field(st, Field::Consequence);
        const TSNode last = last_named_child(cons);
        if (!ts_node_is_null(last) && ends_flow(kind(last)))
          for (const auto& c : last_if_checks_) checks_.push(c);
      }
      last_if_checks_.clear();
    });
    checks_.pop_to(std::min(checks_.size(), checks_at_entry));
    for (const auto& k : acquired) release(k);
  }

  void set_stmt(TSNode st) {
    stmt_ = span(st);
  }

  void visit_statement(TSNode st) {
    DepthGuard g(*this);
    if (too_deep(st)) return;
    switch (kind(st)) {
      case Kind::FunctionDefinition:
        visit_function(st, {});
        return;
      case Kind::ClassDefinition:
        visit_class(st, {});
        return;
      case Kind::DecoratedDefinition: {
        std::vector<std::string> decorators;
        for_each_named_child(st, [&](TSNode c) {
          if (kind(c) != Kind::Decorator) return;
          std::string d(text(c));
          d.erase(0, d.find_first_not_of("@ \t"));
          decorators.push_back(d.substr(0, d.find('(')));
        });
        TSNode def = field(st, Field::Definition);
        if (ts_node_is_null(def)) return;
        if (kind(def) == Kind::FunctionDefinition) visit_function(def, decorators);
        else visit_class(def, decorators);
        return;
      }
      case Kind::IfStatement: {
        set_stmt(field(st, Field::Condition));
        visit_conditional(st);
        return;
      }
      case Kind::WhileStatement: {
        TSNode cond = field(st, Field::Condition);
        set_stmt(cond);
        std::vector<ActiveCheck> found;
        emit_condition(cond, found);
        const size_t n = checks_.size();
        for (const auto& c : found) checks_.push(c);
        visit_block_field(st, Field::Body);
        checks_.pop_to(n);
        visit_block_field(st, Field::Alternative);
        return;
      }
      case Kind::ForStatement: {
        TSNode right = field(st, Field::Right);
        set_stmt(right);
        const auto elem = visit_iterable(right, field(st, Field::Left));
        bind_loop_targets(field(st, Field::Left), elem);
        visit_block_field(st, Field::Body);
        visit_block_field(st, Field::Alternative);
        return;
      }
      case Kind::WithStatement:
        visit_with(st);
        return;
      case Kind::TryStatement:
        visit_try(st);
        return;
      case Kind::ExpressionStatement:
        set_stmt(st);
        for_each_named_child(st, [&](TSNode c) { visit_expr(c); });
        return;
      case Kind::ReturnStatement: {
        set_stmt(st);
        Scope& s = out_.scopes[env_->scope];
        if (TSNode only = s.is_property ? only_named_child(st) : TSNode{}; !ts_node_is_null(only)) {
          auto l = to_loc(only);
          if (l && l->root == Root::Self && !l->path.empty() && l->path.find('.') == std::string::npos)
            s.property_returns = l->path;
        }
        visit_children(st);
        return;
      }
      case Kind::DeleteStatement:
        set_stmt(st);
        for_each_named_child(st, [&](TSNode t) {
          if (kind(t) == Kind::ExpressionList) for_each_named_child(t, [&](TSNode u) { visit_delete(u); });
          else visit_delete(t);
        });
        return;
      case Kind::ImportStatement:
      case Kind::ImportFromStatement:
        set_stmt(st);
        visit_import(st);
        return;
      case Kind::TypeAliasStatement:
        set_stmt(st);
        visit_type_alias(st);
        return;
      case Kind::GlobalStatement:
      case Kind::NonlocalStatement:
      case Kind::Comment:
        return;
      case Kind::Block:
        visit_block(st);
        return;
      default:
        set_stmt(st);
        visit_children(st);
        return;
    }
  }

  // tree-sitter-python 0.25 reads `type(self).x = v` as a PEP 695 type alias
  // statement (`type (self).x = v`). A real alias names an identifier; when the
  // left side starts with a parenthesis, lower it as the assignment it is.
  void visit_type_alias(TSNode st) {
    TSNode left = field(st, Field::Left);
    TSNode right = field(st, Field::Right);
    for (TSNode* side : {&left, &right})
      if (!ts_node_is_null(*side) && kind(*side) == Kind::Type)
        if (const TSNode inner = only_named_child(*side); !ts_node_is_null(inner)) *side = inner;
    if (ts_node_is_null(left) || text(left).empty() || text(left)[0] != '(') return;
    if (!ts_node_is_null(right)) visit_expr(right);
    const ValueInfo value = value_info(right);
    const size_t first_new = out_.accesses.size();
    type_call_base_ = true;
    assign_target(left, right, value, {});
    type_call_base_ = false;
    for (size_t i = first_new; i < out_.accesses.size(); ++i)
      if (!out_.accesses[i].text.empty() && out_.accesses[i].text[0] == '(') out_.accesses[i].text.insert(0, "type");
  }

  void visit_block_field(TSNode st, Field f) {
    TSNode b = field(st, f);
    if (ts_node_is_null(b)) return;
    if (kind(b) == Kind::Block) visit_block(b);
    else if (kind(b) == Kind::ElseClause) visit_block_field(b, Field::Body);
    else visit_statement(b);
  }

  // if / elif / else: checks in the condition guard every branch.
  void visit_conditional(TSNode st) {
    TSNode cond = field(st, Field::Condition);
    std::vector<ActiveCheck> found;
    emit_condition(cond, found);
    // `if lock.acquire(...)`: the lock is held in the consequence.
    std::optional<PlaceId> acquired;
    {
      TSNode c = strip_parens(cond);
      if (!ts_node_is_null(c) && kind(c) == Kind::Call) {
        TSNode fn = field(c, Field::Function);
        if (kind(fn) == Kind::Attribute && text(field(fn, Field::AttributeName)) == "acquire")
          if (auto l = to_loc(field(fn, Field::Object))) acquired = place(*l);
      }
    }
    const size_t n = checks_.size();
    for (const auto& c : found) checks_.push(c);
    auto saved_held = held_;
    if (acquired) hold(*acquired);
    visit_block_field(st, Field::Consequence);
    restore_held(saved_held);
    for_each_named_child(st, [&](TSNode alt, Field f) {
      if (f != Field::Alternative) return;
      if (kind(alt) == Kind::ElifClause) {
        set_stmt(field(alt, Field::Condition));
        visit_conditional(alt);
      } else {
        visit_block_field(alt, Field::Body);
      }
      restore_held(saved_held);
    });
    checks_.pop_to(n);
    last_if_checks_ = std::move(found);
  }

  void visit_with(TSNode st) {
    auto saved_held = held_;
    for_each_named_child(st, [&](TSNode clause) {
      if (kind(clause) != Kind::WithClause) return;
      for_each_named_child(clause, [&](TSNode item) {
        if (kind(item) != Kind::WithItem) return;
        set_stmt(item);
        TSNode v = field(item, Field::Value);
        if (ts_node_is_null(v)) return;
        TSNode target{};
        if (kind(v) == Kind::AsPattern) {
          TSNode inner = first_named_child(v);
          for_each_named_child(v, [&](TSNode c) {
            if (kind(c) == Kind::AsPatternTarget) target = c;
          });
          v = inner;
        }
        if (auto l = to_loc(v)) {
          hold(place(*l));
        } else {
          visit_expr(v);
        }
        if (!ts_node_is_null(target)) bind_private(target);
      });
    });
    visit_block_field(st, Field::Body);
    restore_held(std::move(saved_held));
  }

  // Which race symptoms the handlers of a try statement catch.
  uint8_t handled_by(TSNode st) {
    uint8_t bits = 0;
    for_each_named_child(st, [&](TSNode part) {
      if (kind(part) != Kind::ExceptClause) return;
      TSNode v = field(part, Field::Value);
      if (ts_node_is_null(v)) {
        bits |= HandledLookup | HandledRuntime;  // bare except
        return;
      }
      if (kind(v) == Kind::AsPattern)
        if (const TSNode first = first_named_child(v); !ts_node_is_null(first)) v = first;
      bits |= caught_symptoms(v, 0);
    });
    return bits;
  }
  // `KeyError`, `builtins.LookupError`, `(ValueError, IndexError)`: the
  // handled race symptoms of each class named (models/threading_apis.h).
  uint8_t caught_symptoms(TSNode v, unsigned depth) {
    v = strip_parens(v);
    if (ts_node_is_null(v) || depth > 8) return 0;
    switch (kind(v)) {
      case Kind::Identifier: case Kind::Attribute:
        return race_symptoms_caught_by(text(v));
      case Kind::Tuple: case Kind::ExpressionList: {
        uint8_t bits = 0;
        for_each_named_child(v, [&](TSNode c) { bits |= caught_symptoms(c, depth + 1); });
        return bits;
      }
      default:
        return 0;
    }
  }

  void visit_try(TSNode st) {
    std::vector<PlaceId> released_in_finally;
    const uint8_t outer_handled = handled_;
    for_each_named_child(st, [&](TSNode part, Field f) {
      if (f == Field::Body) {
        handled_ |= handled_by(st);
        visit_block(part);
        handled_ = outer_handled;
        return;
      }
      switch (kind(part)) {
        case Kind::ExceptClause: {
          auto saved = held_;
          for_each_named_child(part, [&](TSNode c) {
            if (kind(c) == Kind::Block) visit_block(c);
            else visit_expr(c);
          });
          restore_held(std::move(saved));
          break;
        }
        case Kind::ElseClause:
          visit_block_field(part, Field::Body);
          break;
        case Kind::FinallyClause: {
          const auto before = held_;
          for_each_named_child(part, [&](TSNode c) { if (kind(c) == Kind::Block) visit_block(c); });
          // A release in `finally` ends the region for the statements after the try.
          for (const auto& k : before)
            if (std::count(held_.begin(), held_.end(), k) < std::count(before.begin(), before.end(), k))
              released_in_finally.push_back(k);
          break;
        }
        default:
          break;
      }
    });
    for (const auto& k : released_in_finally) release(k);
  }

  void visit_import(TSNode st) {
    const bool from = kind(st) == Kind::ImportFromStatement;
    std::string base;
    if (from) {
      TSNode m = field(st, Field::ModuleName);
      base = resolve_module(m);
    }
    for_each_named_child(st, [&](TSNode c, Field f) {
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

  std::string resolve_module(TSNode m) {
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

  void visit_delete(TSNode t) {
    t = strip_parens(t);
    if (kind(t) == Kind::Subscript) {
      if (auto l = to_loc(field(t, Field::Value))) emit(AccessKind::Mutate, *l, t, Op::DelItem);
      visit_children(t);
      return;
    }
    if (kind(t) == Kind::Identifier && env_->type == Env::Type::Function &&
        !env_->globals.count(std::string(text(t))))
      return;  // deleting a local name
    if (auto l = to_loc(t, true)) emit(AccessKind::Write, *l, t, Op::Del, ValueKind::None);
  }

  // ---- expressions --------------------------------------------------------
  void visit_children(TSNode n) {
    for_each_named_child(n, [&](TSNode c) { visit_expr(c); });
  }

  void visit_expr(TSNode n) {
    DepthGuard g(*this);
    if (too_deep(n)) return;
    switch (kind(n)) {
      case Kind::Assignment:
        visit_assignment(n);
        return;
      case Kind::AugmentedAssignment:
        visit_augmented(n);
        return;
      case Kind::Call:
        visit_call(n);
        return;
      case Kind::Subscript: {
        TSNode value = field(n, Field::Value);
        if (auto l = to_loc(value)) {
          const std::string_view sub = text(field(n, Field::SubscriptField));
          emit(AccessKind::Read, *l, n, sub == "-1" ? Op::Last : Op::Index);
          for_each_named_child(n, [&](TSNode c, Field f) { if (f != Field::Value) visit_expr(c); });
          return;
        }
        visit_children(n);
        return;
      }
      case Kind::ListComprehension: case Kind::SetComprehension:
      case Kind::DictionaryComprehension: case Kind::GeneratorExpression:
        visit_comprehension(n);
        return;
      case Kind::ConditionalExpression: {
        // `a if cond else b`: named children are a, cond, b.
        std::vector<TSNode> parts = named_children(n);
        if (parts.size() == 3) {
          std::vector<ActiveCheck> found;
          emit_condition(parts[1], found);
          const size_t k = checks_.size();
          for (const auto& c : found) checks_.push(c);
          visit_expr(parts[0]);
          visit_expr(parts[2]);
          checks_.pop_to(k);
          return;
        }
        visit_children(n);
        return;
      }
      case Kind::Lambda: {
        TSNode body = field(n, Field::Body);
        if (!ts_node_is_null(body)) visit_expr(body);
        return;
      }
      case Kind::FunctionDefinition: case Kind::ClassDefinition: case Kind::DecoratedDefinition:
      case Kind::Block: case Kind::IfStatement: case Kind::ForStatement: case Kind::WhileStatement:
      case Kind::WithStatement: case Kind::TryStatement:
        visit_statement(n);
        return;
      case Kind::Identifier: case Kind::Attribute: case Kind::String: case Kind::Integer:
      case Kind::Float: case Kind::True: case Kind::False: case Kind::None: case Kind::Comment:
        return;
      default:
        visit_children(n);
        return;
    }
  }

  void visit_assignment(TSNode n) {
    TSNode left = field(n, Field::Left);
    TSNode right = field(n, Field::Right);
    TSNode type = field(n, Field::TypeField);
    // `a = b = v`: the right side is another assignment.
    std::vector<TSNode> targets{left};
    TSNode value = right;
    while (!ts_node_is_null(value) && kind(value) == Kind::Assignment) {
      targets.push_back(field(value, Field::Left));
      value = field(value, Field::Right);
    }
    if (!ts_node_is_null(value)) visit_expr(value);
    const ValueInfo info = value_info(value);
    const std::string annotation = ts_node_is_null(type) ? std::string() : std::string(text(type));
    for (TSNode t : targets) assign_target(t, value, info, annotation);
  }

  void assign_target(TSNode t, TSNode value, const ValueInfo& info, const std::string& annotation) {
    DepthGuard depth_guard(*this);
    if (ts_node_is_null(t) || too_deep(t)) return;
    t = strip_parens(t);
    if (ts_node_is_null(t)) return;
    switch (kind(t)) {
      case Kind::PatternList: case Kind::TuplePattern: case Kind::ListPattern: case Kind::Tuple:
      case Kind::List: case Kind::ExpressionList: {
        // Unpacking: each target gets an element of the value.
        TSNode none{};
        for_each_named_child(t, [&](TSNode c) { assign_target(c, none, ValueInfo{}, {}); });
        return;
      }
      case Kind::ListSplatPattern:
        if (TSNode only = only_named_child(t); !ts_node_is_null(only)) assign_target(only, TSNode{}, ValueInfo{}, {});
        return;
      case Kind::Subscript: {
        TSNode container = field(t, Field::Value);
        if (auto l = to_loc(container)) emit(AccessKind::Mutate, *l, t, Op::SetItem, info.kind);
        else visit_expr(container);
        visit_expr(field(t, Field::SubscriptField));
        return;
      }
      case Kind::Identifier:
        if (env_->type == Env::Type::Function) {
          const std::string name(text(t));
          const Env* f = env_;
          if (!f->globals.count(name)) {
            bind_local(name, value);
            return;
          }
        }
        [[fallthrough]];
      case Kind::Attribute: {
        auto l = to_loc(t, true);
        if (!l) {
          if (kind(t) == Kind::Attribute) visit_expr(field(t, Field::Object));
          return;
        }
        if (!ts_node_is_null(value) && is_self_update(*l, value)) {
          emit(AccessKind::ReadModifyWrite, *l, t, Op::SelfAssign);
          return;
        }
        const uint32_t idx = emit(AccessKind::Write, *l, t, Op::None, info.kind);
        Access& w = out_.accesses[idx];
        w.type_hint = annotation;
        w.value_text = info.text;
        w.container = info.container;
        return;
      }
      default:
        visit_expr(t);
        return;
    }
  }

  // `x = x + n`, `x = n + x`, `x = x - n`, ...: the value is a binary operation
  // with the target itself as an operand.
  bool is_self_update(const LocRef& target, TSNode value) {
    value = strip_parens(value);
    if (kind(value) != Kind::BinaryOperator) return false;
    // The target may sit anywhere in a tree of binary operations: `x = (x & a) | b`.
    std::vector<TSNode> stack{value};
    for (size_t steps = 0; !stack.empty() && steps < 256; ++steps) {
      TSNode v = strip_parens(stack.back());
      stack.pop_back();
      if (kind(v) == Kind::BinaryOperator) {
        stack.push_back(field(v, Field::Left));
        stack.push_back(field(v, Field::Right));
        continue;
      }
      auto operand = to_loc(v);
      if (operand && operand->same_place(target)) return true;
    }
    return false;
  }

  void visit_augmented(TSNode n) {
    TSNode left = strip_parens(field(n, Field::Left));
    visit_expr(field(n, Field::Right));
    if (ts_node_is_null(left)) return;
    if (kind(left) == Kind::Subscript) {
      if (auto l = to_loc(field(left, Field::Value))) {
        const uint32_t idx = emit(AccessKind::ReadModifyWrite, *l, left, Op::ItemAugAssign);
        out_.accesses[idx].text = std::string(text(left));  // `counts[k]`, not `counts`
      }
      visit_expr(field(left, Field::SubscriptField));
      return;
    }
    if (kind(left) == Kind::Identifier && env_->type == Env::Type::Function &&
        !env_->globals.count(std::string(text(left))))
      return;  // a local counter
    if (auto l = to_loc(left, true)) emit(AccessKind::ReadModifyWrite, *l, left, Op::AugAssign);
  }

  // A local name bound to a value: an alias of a shared location, an element
  // taken from one, or a private object.
  void bind_local(const std::string& name, TSNode value) {
    Env& env = *env_;
    std::optional<LocRef> alias;
    value = strip_parens(value);
    if (!ts_node_is_null(value)) {
      switch (kind(value)) {
        case Kind::Identifier: case Kind::Attribute:
          alias = to_loc(value);
          break;
        case Kind::Subscript:
          if (auto l = to_loc(field(value, Field::Value))) alias = element_of(*l);
          break;
        case Kind::Call: {
          TSNode fn = field(value, Field::Function);
          if (kind(fn) == Kind::Attribute) {
            const std::string_view m = text(field(fn, Field::AttributeName));
            if (m == "get" || m == "pop" || m == "popleft" || m == "setdefault" || m == "popitem") {
              if (auto l = to_loc(field(fn, Field::Object))) {
                alias = element_of(*l);
                break;
              }
            }
          }
          // An object some other function hands back is not private to this
          // call; a constructor's result is.
          if (!is_constructor_call(text(fn)))
            if (auto callee = to_loc(fn); callee && callee->root != Root::Element)
              alias = LocRef{Root::Returned, "", "", std::string(text(value)), place(*callee)};
          break;
        }
        default:
          break;
      }
    }
    // A name assigned twice keeps the first shared alias it had.
    auto it = env.aliases.find(name);
    if (it == env.aliases.end() || !it->second) env.aliases[name] = std::move(alias);
  }

  // `Foo(...)`, `dict(...)`, `copy.copy(x)`: a call that makes a new object.
  static bool is_constructor_call(std::string_view callee) {
    const size_t dot = callee.rfind('.');
    std::string_view last = dot == std::string_view::npos ? callee : callee.substr(dot + 1);
    while (!last.empty() && last[0] == '_') last.remove_prefix(1);  // _Usage()
    if (!last.empty() && last[0] >= 'A' && last[0] <= 'Z') return true;
    static constexpr std::string_view fresh[] = {"dict", "list", "set", "tuple", "frozenset", "bytearray", "object",
                                                 "copy", "deepcopy", "sorted", "deque", "defaultdict", "local",
                                                 "str", "bytes", "int", "float", "open", "iter", "reversed", "zip",
                                                 "enumerate", "map", "filter", "range", "namedtuple"};
    for (auto f : fresh)
      if (last == f) return true;
    return false;
  }

  LocRef element_of(const LocRef& container) {
    LocRef e;
    e.root = Root::Element;
    e.base = place(container);
    return e;
  }

  void bind_private(TSNode target) {
    DepthGuard depth_guard(*this);
    if (ts_node_is_null(target) || too_deep(target)) return;
    if (env_->type != Env::Type::Function) return;
    if (kind(target) == Kind::Identifier) env_->aliases[std::string(text(target))] = std::nullopt;
    else for_each_named_child(target, [&](TSNode c) { bind_private(c); });
  }

  void bind_loop_targets(TSNode left, const std::optional<LocRef>& elem) {
    DepthGuard depth_guard(*this);
    if (ts_node_is_null(left) || too_deep(left)) return;
    if (ts_node_is_null(left) || env_->type != Env::Type::Function) return;
    if (kind(left) == Kind::Identifier) {
      env_->aliases[std::string(text(left))] = elem;
      return;
    }
    for_each_named_child(left, [&](TSNode c) { bind_loop_targets(c, elem); });
  }

  // The iterable of a for loop or comprehension: records an Iterate access
  // and returns the element location its loop variable stands for.
  std::optional<LocRef> visit_iterable(TSNode it, TSNode /*left*/) {
    DepthGuard depth_guard(*this);
    if (ts_node_is_null(it) || too_deep(it)) return std::nullopt;
    it = strip_parens(it);
    if (ts_node_is_null(it)) return std::nullopt;
    if (auto l = to_loc(it)) {
      emit(AccessKind::Iterate, *l, it);
      return element_of(*l);
    }
    if (kind(it) == Kind::Call) {
      TSNode fn = field(it, Field::Function);
      std::vector<TSNode> pos;
      std::vector<std::pair<std::string_view, TSNode>> kw;
      call_arguments(it, pos, kw);
      if (kind(fn) == Kind::Attribute) {
        const std::string_view m = text(field(fn, Field::AttributeName));
        if (m == "items" || m == "keys" || m == "values" || m == "iteritems") {
          if (auto l = to_loc(field(fn, Field::Object))) {
            emit(AccessKind::Iterate, *l, it, m == "keys" ? Op::Keys : m == "values" ? Op::Values : Op::Items);
            for (TSNode a : pos) visit_expr(a);
            return element_of(*l);
          }
        }
      } else if (kind(fn) == Kind::Identifier) {
        const std::string_view f = text(fn);
        if ((f == "enumerate" || f == "reversed" || f == "zip" || f == "iter") && !pos.empty()) {
          std::optional<LocRef> first;
          for (TSNode a : pos) {
            auto e = visit_iterable(a, TSNode{});
            if (!first) first = e;
          }
          return first;
        }
      }
    }
    visit_expr(it);
    return std::nullopt;
  }

  void visit_comprehension(TSNode n) {
    // Clauses bind their targets before the element expression runs.
    std::vector<TSNode> body_parts;
    for_each_named_child(n, [&](TSNode c, Field f) {
      if (kind(c) == Kind::ForInClause) {
        const auto elem = visit_iterable(field(c, Field::Right), field(c, Field::Left));
        bind_loop_targets(field(c, Field::Left), elem);
      } else if (kind(c) == Kind::IfClause) {
        visit_children(c);
      } else if (f == Field::Body || kind(c) != Kind::Comment) {
        body_parts.push_back(c);
      }
    });
    for (TSNode b : body_parts) visit_expr(b);
  }

  void visit_call(TSNode n) {
    TSNode fn = field(n, Field::Function);
    std::vector<TSNode> pos;
    std::vector<std::pair<std::string_view, TSNode>> kw;
    call_arguments(n, pos, kw);
    const std::string_view callee = text(fn);
    bool args_done = false;

    if (kind(fn) == Kind::Attribute) {
      TSNode obj = field(fn, Field::Object);
      const std::string_view m = text(field(fn, Field::AttributeName));
      if (auto l = to_loc(obj)) {
        if (const Op op = container_method_op(m, pos.size() + kw.size()); op != Op::None) {
          emit(AccessKind::Mutate, *l, n, op);
        } else if (m == "copy") {
          emit(AccessKind::Read, *l, n, Op::Snapshot);
        } else if (m == "get") {
          emit(AccessKind::Read, *l, n, Op::Get);
        }
        if (auto callee_loc = to_loc(fn)) record_call(*callee_loc, n, false);
      } else {
        visit_expr(obj);
      }
    } else if (kind(fn) == Kind::Identifier) {
      if (callee == "len" && pos.size() == 1) {
        if (auto l = to_loc(pos[0])) {
          emit(AccessKind::Read, *l, n, Op::Len);
          args_done = true;
        }
      } else if (is_snapshot_builtin(callee) && pos.size() == 1) {
        if (auto l = to_loc(pos[0])) {
          emit(AccessKind::Read, *l, n, Op::Snapshot);
          args_done = true;
        }
      } else if (callee == "next" && !pos.empty() && kind(strip_parens(pos[0])) == Kind::Call &&
                 text(field(strip_parens(pos[0]), Field::Function)) == "iter") {
        std::vector<TSNode> ipos;
        std::vector<std::pair<std::string_view, TSNode>> ikw;
        call_arguments(strip_parens(pos[0]), ipos, ikw);
        if (ipos.size() == 1)
          if (auto l = to_loc(ipos[0])) {
            emit(AccessKind::Read, *l, n, Op::NextIter);
            args_done = true;
          }
      }
      if (auto l = to_loc(fn)) record_call(*l, n, false);
    }

    // heapq.heappush(self.heap, x), heappop(self.heap), ...
    if (const Op hq = heapq_op(callee); hq != Op::None && !pos.empty()) {
      if (auto l = to_loc(pos[0])) {
        emit(AccessKind::Mutate, *l, n, hq);
        for (size_t i = 1; i < pos.size(); ++i) visit_expr(pos[i]);
        args_done = true;
      }
    }
    // os.mkdir(p), open(p, "w"), ...: acts on a filesystem path.
    if (!pos.empty() && is_path_act(callee, pos, kw)) {
      LocRef p{Root::Path, std::string(text(pos[0])), "", std::string(text(pos[0]))};
      emit(AccessKind::Mutate, p, n, Op::PathAct);
    }
    // Thread(target=f), Timer(t, f), executor.submit(f, ...): f runs on another thread.
    if (TSNode target = thread_target(callee, pos, kw); !ts_node_is_null(target) && kind(target) != Kind::None) {
      if (auto l = to_loc(target)) record_call(*l, target, true);
      else if (kind(target) == Kind::Identifier)  // a function defined in this function
        record_call(LocRef{Root::Global, std::string(text(target)), "", ""}, target, true);
      else record_call(LocRef{Root::Global, "<lambda>", "", ""}, target, true);
    }
    if (!args_done) {
      for (TSNode a : pos) visit_expr(a);
      for (auto& [k, v] : kw) visit_expr(v);
      // f(x for x in xs): the generator is the whole argument list.
      TSNode args = field(n, Field::Arguments);
      if (!ts_node_is_null(args) && kind(args) == Kind::GeneratorExpression) visit_expr(args);
    }
  }

  static TSNode thread_target(std::string_view callee, const std::vector<TSNode>& pos,
                              const std::vector<std::pair<std::string_view, TSNode>>& kw) {
    switch (thread_entry_kind(callee)) {
      case ThreadEntry::TargetKeyword:
        for (const auto& [k, v] : kw)
          if (k == "target") return v;
        return TSNode{};
      case ThreadEntry::FirstArgument:
        return pos.empty() ? TSNode{} : pos[0];
      case ThreadEntry::SecondArgument:
        for (const auto& [k, v] : kw)
          if (k == "function") return v;
        return pos.size() < 2 ? TSNode{} : pos[1];
      case ThreadEntry::None:
        break;
    }
    return TSNode{};
  }

  bool is_path_act(std::string_view callee, const std::vector<TSNode>& pos,
                   const std::vector<std::pair<std::string_view, TSNode>>& kw) const {
    if (callee != "open" && callee != "io.open") return is_path_act_name(callee);
    TSNode mode = pos.size() >= 2 ? pos[1] : TSNode{};
    for (const auto& [k, v] : kw)
      if (k == "mode") mode = v;
    if (ts_node_is_null(mode) || kind(mode) != Kind::String) return false;
    const std::string_view m = text(mode);
    return m.find_first_of("wxa") != std::string_view::npos;
  }

  void record_call(const LocRef& callee, TSNode at, bool thread_target) {
    if (callee.root == Root::Element || callee.root == Root::Path) return;
    out_.calls.push_back(Call{env_->scope, lockset(), thread_target, place(callee), span(at)});
  }

  // ---- conditions -----------------------------------------------------------
  // Emits Check accesses for what a condition tests and returns them.
  void emit_condition(TSNode cond, std::vector<ActiveCheck>& found) {
    cond = strip_parens(cond);
    if (ts_node_is_null(cond)) return;
    collect_condition_checks(cond, found);
  }

  void collect_condition_checks(TSNode cond, std::vector<ActiveCheck>& found) {
    constexpr bool emit_checks = true;
    cond = strip_parens(cond);
    if (ts_node_is_null(cond)) return;
    DepthGuard g(*this);
    if (too_deep(cond)) return;
    auto add = [&](const LocRef& l, TSNode at, CheckKind check) {
      const uint32_t idx = emit_check(l, at, check);
      found.push_back({out_.accesses[idx].place, idx});
    };
    switch (kind(cond)) {
      case Kind::NotOperator: {
        TSNode arg = field(cond, Field::Argument);
        if (ts_node_is_null(arg)) arg = first_named_child(cond);
        collect_condition_checks(arg, found);
        return;
      }
      case Kind::BooleanOperator:
        collect_condition_checks(field(cond, Field::Left), found);
        collect_condition_checks(field(cond, Field::Right), found);
        return;
      case Kind::Identifier: case Kind::Attribute:
        if (auto l = to_loc(cond)) add(*l, cond, CheckKind::Truth);
        return;
      case Kind::ComparisonOperator: {
        std::vector<TSNode> ops = named_children(cond);
        std::string optext;
        if (ops.size() == 2) {
          const uint32_t b = ts_node_end_byte(ops[0]), e = ts_node_start_byte(ops[1]);
          if (e > b) optext = std::string(src_.substr(b, e - b));
        }
        const bool membership = optext.find("in") != std::string::npos && optext.find("is") == std::string::npos;
        if (ops.size() == 2 && membership) {
          if (emit_checks) visit_expr(ops[0]);
          if (auto l = to_loc(ops[1])) add(*l, ops[1], CheckKind::In);
          else if (emit_checks) visit_expr(ops[1]);
          return;
        }
        bool with_none = false;
        for (TSNode o : ops) with_none = with_none || kind(o) == Kind::None;
        const CheckKind cmp = with_none ? CheckKind::IsNone : CheckKind::Compare;
        for (TSNode o : ops) {
          TSNode s = strip_parens(o);
          if (kind(s) == Kind::None) continue;
          if (auto l = to_loc(s)) {
            add(*l, s, cmp);
          } else if (kind(s) == Kind::Call) {
            collect_call_check(s, found, emit_checks, add);
          } else if (kind(s) == Kind::Subscript) {
            if (auto c = to_loc(field(s, Field::Value))) add(*c, s, CheckKind::Item);
            else if (emit_checks) visit_expr(s);
          } else if (emit_checks) {
            visit_expr(s);
          }
        }
        return;
      }
      case Kind::Call:
        collect_call_check(cond, found, emit_checks, add);
        return;
      default:
        if (emit_checks) visit_expr(cond);
        return;
    }
  }

  template <class Add>
  void collect_call_check(TSNode call, std::vector<ActiveCheck>& /*found*/, bool emit_checks, Add&& add) {
    TSNode fn = field(call, Field::Function);
    const std::string_view callee = text(fn);
    std::vector<TSNode> pos;
    std::vector<std::pair<std::string_view, TSNode>> kw;
    call_arguments(call, pos, kw);
    if (callee == "len" && pos.size() == 1) {
      if (auto l = to_loc(pos[0])) return add(*l, pos[0], CheckKind::Len);
    } else if (callee == "hasattr" && pos.size() == 2 && kind(pos[1]) == Kind::String) {
      if (auto l = to_loc(pos[0])) {
        std::string attr(text(pos[1]));
        if (attr.size() >= 2) attr = attr.substr(1, attr.size() - 2);
        LocRef a = *l;
        if (!a.path.empty()) a.path += '.';
        a.path += attr;
        a.text = l->text + "." + attr;
        return add(a, call, CheckKind::HasAttr);
      }
    } else if (is_path_check(callee) && pos.size() == 1) {
      LocRef p{Root::Path, std::string(text(pos[0])), "", std::string(text(pos[0]))};
      return add(p, call, CheckKind::Exists);
    } else if (kind(fn) == Kind::Attribute && text(field(fn, Field::AttributeName)) == "get") {
      if (auto l = to_loc(field(fn, Field::Object))) {
        if (emit_checks) for (TSNode a : pos) visit_expr(a);
        return add(*l, call, CheckKind::Get);
      }
    }
    if (emit_checks) visit_call(call);
  }
};

}  // namespace

void lower_module(const TSTree* tree, std::string_view text, const LowerOptions& options, ModuleFacts& facts) {
  Lowerer lowerer(text, options, facts);
  lowerer.run(ts_tree_root_node(tree));
}

}  // namespace raceaudit
