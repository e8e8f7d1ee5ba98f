// The lowering walk (see lower.cpp): one Lowerer per module, its methods
// spread over lower*.cpp by what they lower. Private to src/facts/.
#pragma once

#include <algorithm>
#include <cctype>
#include <deque>
#include <optional>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>

#include "facts/check_stack.h"
#include "facts/lock_regions.h"
#include "facts/lower.h"
#include "models/container_ops.h"
#include "models/name_tables.h"
#include "parse/syntax.h"

namespace raceaudit::lowering {

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

// One container that iterating an expression iterates (see iteration_sources).
struct IterSource {
  LocRef loc;
  Op op = Op::None;
  TSNode at{};                // where the iteration is reported
  PlaceId helper = kNoPlace;  // through a project function: kept if it returns a view of argument `arg`
  uint8_t arg = 0;
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
  // Local name -> the check its current value made (`v = d.get(k)`,
  // `found = k in d`): testing the name tests the container.
  std::unordered_map<std::string, std::pair<LocRef, CheckKind>> check_aliases;
  // Local names whose current value is a container made here (`[]`, `{...}`, `list()`).
  std::unordered_set<std::string> built_containers;
  int loops = 0;  // loop bodies and comprehension elements around the current point
  // Local names holding a lazy iterator (`it = chain(self.a, self.b)`,
  // `items = self.d.items()`): looping over the name iterates these.
  std::unordered_map<std::string, std::vector<IterSource>> iterators;
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
      : src_(text), opt_(options), out_(facts), syn_(Syntax::get()), locks_(facts.locksets) {
    out_.places.clear();
  }
  ~Lowerer() {
    for (TSTreeCursor& c : cursors_) ts_tree_cursor_delete(&c);
  }
  Lowerer(const Lowerer&) = delete;
  Lowerer& operator=(const Lowerer&) = delete;

  void run(TSNode root);

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
  uint32_t block_ = 0;    // ModuleFacts::blocks: the statement list being visited
  TSNode block_stmt_{};   // the statement of that list being visited: the owner of the lists inside it
  LockRegions locks_;
  std::unordered_map<std::string, PlaceId> place_ids_;     // interning key -> place
  std::unordered_map<std::string, uint32_t> text_ids_;     // ModuleFacts::texts -> index
  CheckStack checks_;
  std::vector<ActiveCheck> last_if_checks_;  // checks of the `if` statement just visited
  std::vector<ActiveCheck> exit_checks_;     // early-exit checks still active at the end of the block just visited
  bool type_call_base_ = false;  // inside a misparsed `type(x).attr = v` statement
  uint8_t handled_ = 0;          // race symptoms the enclosing try statements catch
  std::unordered_set<std::string> metaclasses_;  // qualnames of this module's metaclasses
  std::unordered_set<std::string> noreturn_;     // names of this module's `-> NoReturn` functions and methods
  // `self._remove = self._queue.remove` in a method of a class: in that
  // class, `self._remove(k)` is `self._queue.remove(k)`. By class scope, then attribute.
  struct MethodAlias {
    std::string path;    // the container's attribute path on self ("_queue")
    std::string method;  // the container method ("remove")
  };
  std::unordered_map<int32_t, std::unordered_map<std::string, MethodAlias>> method_aliases_;
  // A method that tests whether `self.<path>` holds its key argument
  // (lower_predicates.cpp): calling it in a condition checks that container.
  // By class scope, then method name.
  struct Predicate {
    std::string path;  // the container's attribute path on self
    CheckKind check = CheckKind::In;
  };
  std::unordered_map<int32_t, std::unordered_map<std::string, Predicate>> predicates_;
  // Qualnames of functions a factory of a class makes and the class body
  // binds as methods (lower_method_factories.cpp): their first parameter is the instance.
  std::unordered_set<std::string> factory_methods_;
  // The function being lowered returns a view of this parameter on every
  // `return` so far (kNoView: it does not; kNoReturnYet: no return seen).
  static constexpr int kNoView = -1, kNoReturnYet = -2;
  int view_return_ = kNoReturnYet;

  // Entering a body: a class body runs where it is written; a function body
  // runs later, on whatever thread calls it, so no lock, check or handler
  // carries in. Made on entry, restores the walk's context when it ends.
  class BodyContext {
   public:
    BodyContext(Lowerer& l, Env& inner, bool function)
        : l_(l), env_(l.env_), stmt_(l.stmt_), handled_(l.handled_), function_(function) {
      l.env_ = &inner;
      if (!function) return;
      held_ = l.locks_.held();
      checks_ = std::move(l.checks_);
      l.checks_ = CheckStack();
      l.handled_ = 0;
      l.locks_.restore({});
    }
    ~BodyContext() {
      l_.env_ = env_;
      l_.stmt_ = stmt_;
      if (!function_) return;
      l_.locks_.restore(std::move(held_));
      l_.checks_ = std::move(checks_);
      l_.handled_ = handled_;
    }
    BodyContext(const BodyContext&) = delete;
    BodyContext& operator=(const BodyContext&) = delete;

   private:
    Lowerer& l_;
    Env* env_;
    Span stmt_;
    uint8_t handled_;
    bool function_;
    std::vector<PlaceId> held_;
    CheckStack checks_;
  };

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
  // Visits the function definitions of a class body (decorated or not).
  template <class F>
  void for_each_method(TSNode class_body, F&& f) {
    for_each_named_child(class_body, [&](TSNode st) {
      TSNode def = kind(st) == Kind::DecoratedDefinition ? field(st, Field::Definition) : st;
      if (!ts_node_is_null(def) && kind(def) == Kind::FunctionDefinition) f(def);
    });
  }
  // One cursor per level of for_each_named_child nesting, reset instead of
  // created and freed for every node (a TSTreeCursor allocates its stack).
  struct CursorLease {
    Lowerer& l;
    TSTreeCursor& cursor;
    CursorLease(Lowerer& lw, TSNode n) : l(lw), cursor(lw.cursor_at_depth(n)) {}
    ~CursorLease() { --l.cursors_in_use_; }
  };
  TSTreeCursor& cursor_at_depth(TSNode n);
  // Named children without comments: tree-sitter puts comments (extras)
  // anywhere, e.g. inside `if (  # why` parentheses, and lowering never wants
  // them. first_named_child stops at the first (with `second`, the second).
  TSNode first_named_child(TSNode n, TSNode* second = nullptr);
  // The named child when there is exactly one, else null.
  TSNode only_named_child(TSNode n);
  TSNode last_named_child(TSNode n);
  std::vector<TSNode> named_children(TSNode n);
  // Arguments of a call, positional and keyword, skipping comments.
  void call_arguments(TSNode call, std::vector<TSNode>& positional,
                      std::vector<std::pair<std::string_view, TSNode>>& keywords);
  TSNode strip_parens(TSNode n);

  // ---- depth bound --------------------------------------------------------
  struct DepthGuard {
    Lowerer& l;
    bool ok;
    explicit DepthGuard(Lowerer& lw) : l(lw), ok(++lw.depth_ <= lw.opt_.max_depth) {}
    ~DepthGuard() { --l.depth_; }
  };
  bool too_deep(TSNode n);


  // ---- names and locations ------------------------------------------------
  PlaceId place(const LocRef& l);
  uint32_t intern_text(const std::string& text);  // index into ModuleFacts::texts; "" is 0

  static const Env* function_env(const Env* e);

  std::optional<LocRef> resolve_name(std::string_view name_view, bool for_write);

  // The location an expression names, if it is one: a name, an attribute chain
  // on one, `type(self)` / `self.__class__`.
  // Walks down the `object` fields iteratively (attribute chains can be
  // arbitrarily long in hostile input); no real location has more than
  // kMaxPathParts parts.
  static constexpr size_t kMaxPathParts = 64;
  std::optional<LocRef> to_loc(TSNode n, bool for_write = false);

  // ---- emitting facts -----------------------------------------------------
  uint32_t emit(AccessKind k, const LocRef& loc, TSNode at, Op op = Op::None, ValueKind value = ValueKind::Other);
  uint32_t emit_check(const LocRef& loc, TSNode at, CheckKind check);

  static Container literal_container(Kind k);

  // `a.b.c` made of names only, without calls, subscripts or parentheses.
  bool is_dotted_name(TSNode n);

  ValueInfo value_info(TSNode v);

  // ---- scopes -------------------------------------------------------------
  int32_t new_scope(ScopeKind k, TSNode def, std::string_view name);

  // Collects the names a function body binds (Python's local scope rule).
  void collect_bindings(TSNode n, Env& env);
  static bool is_plain_expression(Kind k);
  void collect_bindings_children(TSNode n, Env& env);
  void bind_targets(TSNode t, Env& env);

  void visit_function(TSNode def, const std::vector<std::string>& decorators);

  void read_parameters(TSNode params, int32_t sid, Env& env);

  // `type`, `abc.ABCMeta`, `enum.EnumMeta`, or a metaclass defined earlier in this module.
  bool is_metaclass_base(std::string_view base) const;

  void visit_class(TSNode def, const std::vector<std::string>& decorators);

  // ---- bound-method aliases (lower_method_aliases.cpp) ----------------------
  // Before a class body is lowered: the `self.A = self.B.m` assignments of its
  // methods where `m` is a container mutator.
  void collect_method_aliases(TSNode class_body, int32_t class_scope);
  void collect_aliases_in(TSNode block, std::string_view self, std::unordered_map<std::string, MethodAlias>& out,
                          unsigned depth);
  void note_method_alias(TSNode assignment, std::string_view self, std::unordered_map<std::string, MethodAlias>& out);
  // `self._remove(k)` on an alias: the container and the operation it does.
  std::optional<std::pair<LocRef, Op>> aliased_container_call(const LocRef& receiver, std::string_view attr,
                                                              size_t nargs);

  // ---- methods made by a factory (lower_method_factories.cpp) ---------------
  // Before a class body is lowered: `name = factory(...)` in the body, with
  // `factory` a function of the class that returns a function it defines.
  void collect_method_factories(TSNode class_body, int32_t class_scope);
  std::string returned_function(TSNode body);

  // ---- lookup predicates (lower_predicates.cpp) -----------------------------
  // Before a class body is lowered: its methods that test whether a
  // container on self holds the key they are given.
  void collect_predicates(TSNode class_body, int32_t class_scope);
  std::optional<Predicate> predicate_of(TSNode body, const std::vector<std::string>& params);
  std::string self_path(TSNode n, std::string_view self);
  std::string membership_of_param(TSNode cond, const std::vector<std::string>& params);
  std::optional<std::pair<std::string, std::string>> lookup_of_param(TSNode st, const std::vector<std::string>& params);
  bool returns_when_missing(TSNode st, std::string_view v);
  // `self.has(k)` in a condition, with `has` a predicate of the class: the
  // container it tests and how.
  std::optional<std::pair<LocRef, CheckKind>> predicate_call(TSNode fn);

  // ---- statements -----------------------------------------------------------
  static bool ends_flow(Kind k);
  void collect_noreturn(TSNode block, unsigned depth);
  bool is_noreturn_call(TSNode st);

  void visit_block(TSNode block);
  void note_body(int32_t sid, TSNode body);  // Scope::body_line, doc_end_line, body_indent

  void set_stmt(TSNode st);

  void visit_statement(TSNode st);

  // tree-sitter-python 0.25 reads `type(self).x = v` as a PEP 695 type alias
  // statement (`type (self).x = v`). A real alias names an identifier; when the
  // left side starts with a parenthesis, lower it as the assignment it is.
  void visit_type_alias(TSNode st);

  void visit_block_field(TSNode st, Field f);

  // if / elif / else: checks in the condition guard every branch.
  void visit_conditional(TSNode st);

  void visit_with(TSNode st);

  // `if` statements a fix may replace whole (lower_replaceable_if.cpp).
  void note_replaceable_if(TSNode st, const std::vector<ActiveCheck>& found, size_t guarded_from);
  bool replaceable_test(TSNode cond, TSNode& key, bool& negated, bool& isdir);
  bool replaceable_body(TSNode st, ReplaceableIf& r, TSNode& key, TSNode& value);
  std::optional<uint32_t> guarded_act(uint32_t check, size_t guarded_from, IfBody body);
  std::optional<std::string_view> subscript_key(TSNode subscript, TSNode& key);
  bool is_pure(TSNode n, unsigned depth);

  // Which race symptoms the handlers of a try statement catch.
  uint8_t handled_by(TSNode st);
  // `KeyError`, `builtins.LookupError`, `(ValueError, IndexError)`: the
  // handled race symptoms of each class named (models/threading_apis.h).
  uint8_t caught_symptoms(TSNode v, unsigned depth);

  void visit_try(TSNode st);
  std::vector<ActiveCheck> lookups_tried(size_t first);

  void visit_import(TSNode st);

  std::string resolve_module(TSNode m);

  void visit_delete(TSNode t);

  // ---- expressions --------------------------------------------------------
  void visit_children(TSNode n);

  void visit_expr(TSNode n);

  void visit_assignment(TSNode n);

  void assign_target(TSNode t, TSNode value, const ValueInfo& info, const std::string& annotation);

  // `x = x + n`, `x = n + x`, `x = x - n`, ...: the value is a binary operation
  // with the target itself as an operand.
  bool is_self_update(const LocRef& target, TSNode value);

  void visit_augmented(TSNode n);

  // A local name bound to a value: an alias of a shared location, an element
  // taken from one, or a private object.
  void bind_local(const std::string& name, TSNode value);
  std::optional<std::pair<LocRef, CheckKind>> check_made_by(TSNode value);
  std::optional<LocRef> snapshot_source(TSNode iterable);
  bool is_membership(TSNode comparison, std::vector<TSNode>& operands);

  // `Foo(...)`, `dict(...)`, `copy.copy(x)`: a call that makes a new object.
  static bool is_constructor_call(std::string_view callee);

  LocRef element_of(const LocRef& container);

  void bind_private(TSNode target);

  void bind_loop_targets(TSNode left, const std::optional<LocRef>& elem);

  // ---- iteration (lower_iteration.cpp) -------------------------------------
  // Where iteration_sources puts what it finds: emitted as Iterate accesses
  // (the parts of the expression that are not iterated are then visited),
  // or only collected.
  struct IterSink {
    bool emit = true;
    std::vector<IterSource> found;  // collected (emit: false)
    std::optional<LocRef> element;  // emitted: the first container's element
  };
  // An iterable being iterated (a for loop, a comprehension, `min(x)`):
  // records an Iterate access per container it iterates, with `op`, and
  // returns the element location a loop variable stands for.
  std::optional<LocRef> visit_iterable(TSNode it, Op op = Op::None);
  // The containers iterating `it` iterates: a location, a view of one
  // (`d.items()`), adapters over them (`zip`, `chain`, `enumerate`, ...),
  // a local holding such an iterator, `six.iteritems(d)`, copies that are not
  // one locked step (`tuple(d)`), and the location arguments of other calls,
  // which linking keeps only when the callee returns a view of them.
  void iteration_sources(TSNode it, Op op, IterSink& sink);
  // The iterables among a call's arguments, by what the callee does with
  // them (models/iteration.h). False when the call iterates nothing it is
  // given, or is a copy CPython makes in one locked step (`list(self.d)`).
  bool iterate_call(TSNode call, Op op, IterSink& sink);
  bool copy_iterates(std::string_view callee, TSNode arg);
  bool helper_call(TSNode call, const std::vector<TSNode>& pos, Op op, IterSink& sink);
  void add_source(IterSink& sink, IterSource s);
  // `tuple(self.d)`, `min(self.d, key=f)`, `list(chain(a, b))` outside a
  // loop header: iterates now. False when the call is no such consumer.
  bool consume_call(TSNode call, std::string_view callee, size_t positional);
  // `it = chain(self.a, self.b)`, `items = self.d.items()`: records what the
  // local iterates when it is looped over.
  void bind_iterator(const std::string& name, TSNode value);
  // Index of the parameter whose live view `value` is (`d.items()`,
  // `iter(d)`, `iter(d.values())`), else -1.
  int view_of_parameter(TSNode value, const std::vector<std::string>& params);
  void note_view_return(TSNode value);
  void note_state_gate(TSNode body, int32_t sid);  // lower_state_gate.cpp
  void note_view_lambda(const std::string& name, TSNode lambda);

  void visit_comprehension(TSNode n);

  void visit_call(TSNode n);
  void visit_call_arguments(TSNode call, const std::vector<TSNode>& pos,
                            const std::vector<std::pair<std::string_view, TSNode>>& kw);

  static TSNode thread_target(std::string_view callee, const std::vector<TSNode>& pos,
                              const std::vector<std::pair<std::string_view, TSNode>>& kw);

  bool is_path_act(std::string_view callee, const std::vector<TSNode>& pos,
                   const std::vector<std::pair<std::string_view, TSNode>>& kw) const;

  // `one_thread`: a thread target that Thread/Timer runs on one new thread (not an executor task).
  std::optional<LocRef> lock_accessor_call(TSNode v);
  void record_call(const LocRef& callee, TSNode at, bool thread_target, bool one_thread = false,
                   bool callback = false, uint8_t self_arg = 0);
  // Call::self_arg of a call with these positional arguments.
  uint8_t self_argument(const std::vector<TSNode>& pos);
  // Call::own_attr_arg and own_attr of the call just recorded.
  void note_own_attribute_argument(const std::vector<TSNode>& pos);
  // `register_hook("x", self.on_x)`: each bound method or function argument is a callback.
  // Otherwise (`passed`) each is a function another call may run (Call::passed).
  void record_callbacks(const std::vector<TSNode>& pos, const std::vector<std::pair<std::string_view, TSNode>>& kw,
                        bool passed = false);

  // `getattr(self._tls, "marker", 0)`: the place `self._tls.marker`, or nothing.
  std::optional<LocRef> getattr_target(TSNode expr);

  // ---- conditions -----------------------------------------------------------
  // Emits Check accesses for what a condition tests and returns them.
  void emit_condition(TSNode cond, std::vector<ActiveCheck>& found);

  void collect_condition_checks(TSNode cond, std::vector<ActiveCheck>& found);

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
    } else if (kind(fn) == Kind::Attribute && pos.empty() &&
               is_queue_size_method(text(field(fn, Field::AttributeName)))) {
      if (auto l = to_loc(field(fn, Field::Object))) return add(*l, call, CheckKind::QueueSize);  // q.empty()
    } else if (kind(fn) == Kind::Attribute && text(field(fn, Field::AttributeName)) == "has_key" && pos.size() == 1) {
      if (auto l = to_loc(field(fn, Field::Object))) {  // Python 2's `k in d`
        if (emit_checks) visit_expr(pos[0]);
        return add(*l, call, CheckKind::In);
      }
    } else if (auto p = predicate_call(fn)) {  // `if not self._has(k):`
      add(p->first, call, p->second);
    }
    if (emit_checks) visit_call(call);
  }
};

}  // namespace raceaudit::lowering
