// Lowering: statements: blocks, conditionals, with, try, del, and the lock
// regions and checks they open.
#include <algorithm>

#include "facts/lowerer.h"

#include "models/threading_apis.h"

namespace raceaudit::lowering {

// ---- statements -----------------------------------------------------------
bool Lowerer::ends_flow(Kind k) {
  return k == Kind::ReturnStatement || k == Kind::RaiseStatement || k == Kind::ContinueStatement ||
         k == Kind::BreakStatement;
}

void Lowerer::visit_block(TSNode block) {
  const size_t checks_at_entry = checks_.size();
  std::vector<PlaceId> acquired;  // by `x.acquire()` statements of this block
  const uint32_t outer_block = block_;
  const TSNode outer_stmt = block_stmt_;
  block_ = static_cast<uint32_t>(out_.blocks.size());
  out_.blocks.push_back({ts_node_is_null(outer_stmt) ? 0 : outer_block,
                         ts_node_is_null(outer_stmt) ? Span{} : span(outer_stmt), span(block)});
  for_each_named_child(block, [&](TSNode st) {
    if (kind(st) == Kind::Comment) return;
    block_stmt_ = st;
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
            locks_.hold(key);
            acquired.push_back(key);
          } else {
            locks_.release(key);
          }
          return;
        }
        if (kind(fn) == Kind::Attribute) {
          const std::string_view m = text(field(fn, Field::AttributeName));
          if (m == "acquire" || m == "release") {
            if (auto l = to_loc(field(fn, Field::Object))) {
              const PlaceId key = place(*l);
              if (m == "acquire") {
                locks_.hold(key);
                acquired.push_back(key);
              } else {
                locks_.release(key);
              }
              return;
            }
          }
        }
      }
      // `got = lock.acquire(timeout=t)`, then `if not got: return`: held from here on,
      // like the statement form (kazoo's Lock.acquire).
      if (kind(e) == Kind::Assignment) {
        const TSNode right = strip_parens(field(e, Field::Right));
        if (!ts_node_is_null(right) && kind(right) == Kind::Call) {
          TSNode fn = field(right, Field::Function);
          if (kind(fn) == Kind::Attribute && text(field(fn, Field::AttributeName)) == "acquire")
            if (auto l = to_loc(field(fn, Field::Object))) {
              locks_.hold(place(*l));
              acquired.push_back(place(*l));
            }
        }
      }
    }
    last_if_checks_.clear();
    exit_checks_.clear();
    visit_statement(st);
    // `with lock: if k in d: return` / `d[k] = v` after the block: the early
    // exit inside the with body (or a try/finally body) still guards the rest
    // of this block.
    if (kind(st) == Kind::WithStatement || kind(st) == Kind::TryStatement)
      for (const auto& c : exit_checks_) checks_.push(c);
    exit_checks_.clear();
    // `if not self.q: return` keeps its check active for the rest of the
    // block; so does `try: return d[k]` / `except KeyError: pass`.
    TSNode exits = TSNode{};
    if (kind(st) == Kind::IfStatement && ts_node_is_null(field(st, Field::Alternative)))
      exits = field(st, Field::Consequence);
    else if (kind(st) == Kind::TryStatement)
      exits = field(st, Field::Body);
    if (!ts_node_is_null(exits)) {
      const TSNode last = last_named_child(exits);
      if (!ts_node_is_null(last) && (ends_flow(kind(last)) || is_noreturn_call(last)))
        for (const auto& c : last_if_checks_) checks_.push(c);
    }
    last_if_checks_.clear();
  });
  exit_checks_ = checks_.since(std::min(checks_.size(), checks_at_entry));
  checks_.pop_to(std::min(checks_.size(), checks_at_entry));
  for (const auto& k : acquired) locks_.release(k);
  block_ = outer_block;
  block_stmt_ = outer_stmt;
}

void Lowerer::set_stmt(TSNode st) {
  stmt_ = span(st);
}

void Lowerer::visit_statement(TSNode st) {
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
      ++env_->loops;
      visit_block_field(st, Field::Body);
      --env_->loops;
      checks_.pop_to(n);
      visit_block_field(st, Field::Alternative);
      return;
    }
    case Kind::ForStatement: {
      TSNode right = field(st, Field::Right);
      set_stmt(right);
      const auto elem = visit_iterable(right);
      bind_loop_targets(field(st, Field::Left), elem);
      const size_t n = checks_.size();
      if (auto source = snapshot_source(right)) {
        const uint32_t idx = emit_check(*source, right, CheckKind::Snapshot);
        checks_.push({out_.accesses[idx].place, idx});
      }
      ++env_->loops;
      visit_block_field(st, Field::Body);
      --env_->loops;
      checks_.pop_to(n);
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
      if (env_->type == Env::Type::Function) note_view_return(only_named_child(st));
      if (TSNode only = s.is_method ? only_named_child(st) : TSNode{}; !ts_node_is_null(only)) {
        auto l = getattr_target(only);
        if (!l) l = to_loc(only);
        // `return self._x`, or `return self._tls.x` (an attribute of a thread-local, say).
        if (l && (l->root == Root::Self || l->root == Root::Cls) && !l->path.empty() &&
            std::count(l->path.begin(), l->path.end(), '.') <= 1)
          s.property_returns = intern_text(l->path);
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
void Lowerer::visit_type_alias(TSNode st) {
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

void Lowerer::visit_block_field(TSNode st, Field f) {
  TSNode b = field(st, f);
  if (ts_node_is_null(b)) return;
  if (kind(b) == Kind::Block) visit_block(b);
  else if (kind(b) == Kind::ElseClause) visit_block_field(b, Field::Body);
  else visit_statement(b);
}

// if / elif / else: checks in the condition guard every branch.
void Lowerer::visit_conditional(TSNode st) {
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
  const size_t guarded_from = out_.guarded.size();
  const LockRegions::Saved saved(locks_);
  if (acquired) locks_.hold(*acquired);
  visit_block_field(st, Field::Consequence);
  locks_.restore(saved.held());
  for_each_named_child(st, [&](TSNode alt, Field f) {
    if (f != Field::Alternative) return;
    if (kind(alt) == Kind::ElifClause) {
      set_stmt(field(alt, Field::Condition));
      visit_conditional(alt);
    } else {
      visit_block_field(alt, Field::Body);
    }
    locks_.restore(saved.held());
  });
  checks_.pop_to(n);
  note_replaceable_if(st, found, guarded_from);
  last_if_checks_ = std::move(found);
}

void Lowerer::visit_with(TSNode st) {
  const LockRegions::Saved saved(locks_);
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
        locks_.hold(place(*l));
      } else if (auto got = lock_accessor_call(v)) {
        locks_.hold(place(*got));  // `with self.get_lock():` holds what the method returns
      } else {
        visit_expr(v);
      }
      if (!ts_node_is_null(target)) bind_private(target);
    });
  });
  visit_block_field(st, Field::Body);
}

// `self.get_lock()`: a method called with no arguments, whose result a
// `with` holds; linking resolves it to the attribute the method returns.
std::optional<LocRef> Lowerer::lock_accessor_call(TSNode v) {
  if (kind(v) != Kind::Call) return std::nullopt;
  TSNode args = field(v, Field::Arguments);
  if (!ts_node_is_null(args) && ts_node_named_child_count(args) > 0) return std::nullopt;
  TSNode fn = field(v, Field::Function);
  if (kind(fn) != Kind::Attribute) return std::nullopt;
  auto callee = to_loc(fn);
  if (!callee || (callee->root != Root::Self && callee->root != Root::Cls)) return std::nullopt;
  return LocRef{Root::Returned, "", "", std::string(text(v)), place(*callee)};
}

// Which race symptoms the handlers of a try statement catch.
uint8_t Lowerer::handled_by(TSNode st) {
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
uint8_t Lowerer::caught_symptoms(TSNode v, unsigned depth) {
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

void Lowerer::visit_try(TSNode st) {
  std::vector<PlaceId> released_in_finally;
  std::vector<ActiveCheck> lookups;  // `try: d[k]` under `except KeyError`: checks of `d`
  std::vector<ActiveCheck> body_exits;  // early-exit checks at the end of the body
  bool has_handler = false;
  const uint8_t outer_handled = handled_;
  for_each_named_child(st, [&](TSNode part, Field f) {
    if (f == Field::Body) {
      const uint8_t caught = handled_by(st);
      handled_ |= caught;
      const size_t first = out_.accesses.size();
      visit_block(part);
      body_exits = std::move(exit_checks_);
      handled_ = outer_handled;
      if (caught & HandledLookup) lookups = lookups_tried(first);
      return;
    }
    switch (kind(part)) {
      case Kind::ExceptClause: {
        has_handler = true;
        const LockRegions::Saved saved(locks_);
        const size_t n = checks_.size();
        for (const auto& c : lookups) checks_.push(c);  // the handler runs when the key was missing
        for_each_named_child(part, [&](TSNode c) {
          if (kind(c) == Kind::Block) visit_block(c);
          else visit_expr(c);
        });
        checks_.pop_to(n);
        break;
      }
      case Kind::ElseClause:
        visit_block_field(part, Field::Body);
        break;
      case Kind::FinallyClause: {
        const auto before = locks_.held();
        for_each_named_child(part, [&](TSNode c) { if (kind(c) == Kind::Block) visit_block(c); });
        // A release in `finally` ends the region for the statements after the try.
        for (const auto& k : before)
          if (std::count(locks_.held().begin(), locks_.held().end(), k) < std::count(before.begin(), before.end(), k))
            released_in_finally.push_back(k);
        break;
      }
      default:
        break;
    }
  });
  for (const auto& k : released_in_finally) locks_.release(k);
  last_if_checks_ = std::move(lookups);  // after `try: return d[k]`, the key was missing
  // Without a handler the body ran to its end (or the exception leaves the
  // function): its early exits still guard what follows the try.
  exit_checks_ = has_handler ? std::vector<ActiveCheck>{} : std::move(body_exits);
}

// EAFP: each index read of this scope since access `first`, made inside a try
// whose handlers catch KeyError/IndexError, is also a membership check.
std::vector<ActiveCheck> Lowerer::lookups_tried(size_t first) {
  std::vector<ActiveCheck> found;
  const size_t end = out_.accesses.size();
  for (size_t i = first; i < end; ++i) {
    const Access& r = out_.accesses[i];
    if (r.kind != AccessKind::Read || r.op != Op::Index || r.scope != env_->scope) continue;
    Access c = r;
    c.kind = AccessKind::Check;
    c.op = Op::None;
    c.check = CheckKind::In;
    c.order = order_++;
    found.push_back({c.place, static_cast<uint32_t>(out_.accesses.size())});
    out_.accesses.push_back(std::move(c));
  }
  return found;
}

void Lowerer::visit_delete(TSNode t) {
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

}  // namespace raceaudit::lowering
