// Lowering: expressions: assignments, updates, iteration, calls, conditions.
#include "facts/lowerer.h"
#include "models/callbacks.h"

#include "models/container_ops.h"
#include "models/name_tables.h"

namespace raceaudit::lowering {

// ---- expressions --------------------------------------------------------
void Lowerer::visit_children(TSNode n) {
  for_each_named_child(n, [&](TSNode c) { visit_expr(c); });
}

void Lowerer::visit_expr(TSNode n) {
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
      if (env_->type == Env::Type::Function && std::string_view(ts_node_type(n)) == "yield")
        out_.scopes[env_->scope].is_generator = true;
      visit_children(n);
      return;
  }
}

void Lowerer::visit_assignment(TSNode n) {
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
  // `self._cb = self._trace`: a function stored as a value escapes like one passed on.
  if (!ts_node_is_null(value)) record_callbacks({value}, {}, true);
  const ValueInfo info = value_info(value);
  const std::string annotation = ts_node_is_null(type) ? std::string() : std::string(text(type));
  for (TSNode t : targets) assign_target(t, value, info, annotation);
}

void Lowerer::assign_target(TSNode t, TSNode value, const ValueInfo& info, const std::string& annotation) {
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
      const bool built = info.kind == ValueKind::Name && env_->built_containers.count(info.text);
      if (auto l = to_loc(container)) {
        const uint32_t idx = emit(AccessKind::Mutate, *l, t, Op::SetItem, built ? ValueKind::BuiltHere : info.kind);
        out_.accesses[idx].value_text = intern_text(info.text);
      }
      else visit_expr(container);
      visit_expr(field(t, Field::SubscriptField));
      return;
    }
    case Kind::Identifier:
      if (env_->type == Env::Type::Module && !ts_node_is_null(value) && kind(value) == Kind::Lambda)
        note_view_lambda(std::string(text(t)), value);
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
      w.type_hint = intern_text(annotation);
      w.value_text = intern_text(info.text);
      w.container = info.container;
      return;
    }
    default:
      visit_expr(t);
      return;
  }
}

void Lowerer::visit_augmented(TSNode n) {
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

void Lowerer::visit_call(TSNode n) {
  TSNode fn = field(n, Field::Function);
  std::vector<TSNode> pos;
  std::vector<std::pair<std::string_view, TSNode>> kw;
  call_arguments(n, pos, kw);
  const std::string_view callee = text(fn);
  // tuple(self.d), min(self.conns, key=f), list(chain(a, b)): iterated now.
  const bool consumed = consume_call(n, callee, pos.size());
  bool args_done = consumed;

  if (kind(fn) == Kind::Attribute) {
    TSNode obj = field(fn, Field::Object);
    const std::string_view m = text(field(fn, Field::AttributeName));
    if (auto l = to_loc(obj)) {
      // The arguments run before the method: `s.append(s[-1])` reads, then appends.
      auto mutate_after_arguments = [&](const LocRef& container, Op op) {
        visit_call_arguments(n, pos, kw);
        args_done = true;
        const uint32_t idx = emit(AccessKind::Mutate, container, n, op);
        // What `append(x)` / `insert(0, x)` / `add(x)` stores, when it is a name.
        if ((appends_item(op) || op == Op::Add) && !pos.empty())
          out_.accesses[idx].value_text = intern_text(value_info(pos.back()).text);
      };
      if (auto aliased = aliased_container_call(*l, m, pos.size() + kw.size())) {
        mutate_after_arguments(aliased->first, aliased->second);  // self._remove(k): self._queue.remove(k)
      } else if (const Op op = container_method_op(m, pos.size() + kw.size()); op != Op::None) {
        mutate_after_arguments(*l, op);
      } else if (m == "copy") {
        emit(AccessKind::Read, *l, n, Op::Snapshot);
      } else if (is_queue_get(m, pos.size())) {
        emit(AccessKind::Read, *l, n, Op::QueueGet);
      } else if (m == "get") {
        emit(AccessKind::Read, *l, n, Op::Get);
      } else if (kind(strip_parens(obj)) == Kind::Attribute) {
        // `self.sock.sendall(x)` uses the object the attribute holds now;
        // through a local copy (`sock = self.sock; sock.sendall(x)`) it does not.
        emit(AccessKind::Read, *l, obj, Op::MethodCall);
      }
      if (auto callee_loc = to_loc(fn)) {
        const size_t before = out_.calls.size();
        record_call(*callee_loc, n, false, false, false, self_argument(pos));
        if (out_.calls.size() > before) note_own_attribute_argument(pos);
      }
    } else {
      visit_expr(obj);
    }
  } else if (kind(fn) == Kind::Identifier) {
    if (consumed) {
      // iterated above
    } else if (callee == "len" && pos.size() == 1) {
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
    } else if (callee == "next" && !pos.empty() && pos.size() <= 2) {
      // `next(self._ids)`: one step of the generator or iterator held there.
      if (auto l = to_loc(pos[0])) {
        emit(AccessKind::Read, *l, n, Op::Advance);
        args_done = pos.size() == 1;
      }
    }
    if (auto l = to_loc(fn)) {
      const size_t before = out_.calls.size();
      record_call(*l, n, false, false, false, self_argument(pos));
      if (out_.calls.size() > before) note_own_attribute_argument(pos);
    }
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
  const TSNode target_node = thread_target(callee, pos, kw);
  if (TSNode target = target_node; !ts_node_is_null(target) && kind(target) != Kind::None) {
    const bool one = starts_one_thread(callee);
    if (auto l = to_loc(target)) record_call(*l, target, true, one);
    else if (kind(target) == Kind::Identifier)  // a function defined in this function
      record_call(LocRef{Root::Global, std::string(text(target)), "", ""}, target, true, one);
    else record_call(LocRef{Root::Global, "<lambda>", "", ""}, target, true, one);
  }
  // register_hook("response", self.on_response), self._listeners.append(self.changed)
  const bool into_hooks = kind(fn) == Kind::Attribute && is_callback_container_name(text(field(fn, Field::Object))) &&
                          adds_an_element(text(field(fn, Field::AttributeName)));
  if (registers_callback(callee) || into_hooks) record_callbacks(pos, kw);
  if (!args_done) visit_call_arguments(n, pos, kw);
  if (needs_running_loop(callee)) out_.scopes[env_->scope].needs_running_loop = true;
  if (!registers_callback(callee) && !into_hooks && ts_node_is_null(target_node)) {
    const size_t first = out_.calls.size();
    record_callbacks(pos, kw, true);
    if (schedules_on_event_loop(callee)) {
      out_.scopes[env_->scope].schedules_on_loop = true;
      for (size_t i = first; i < out_.calls.size(); ++i) out_.calls[i].to_loop = true;
    }
  }
}

void Lowerer::visit_call_arguments(TSNode call, const std::vector<TSNode>& pos,
                                   const std::vector<std::pair<std::string_view, TSNode>>& kw) {
  for (TSNode a : pos) visit_expr(a);
  for (auto& [k, v] : kw) visit_expr(v);
  // f(x for x in xs): the generator is the whole argument list.
  TSNode args = field(call, Field::Arguments);
  if (!ts_node_is_null(args) && kind(args) == Kind::GeneratorExpression) visit_expr(args);
}

TSNode Lowerer::thread_target(std::string_view callee, const std::vector<TSNode>& pos,
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

bool Lowerer::is_path_act(std::string_view callee, const std::vector<TSNode>& pos,
                 const std::vector<std::pair<std::string_view, TSNode>>& kw) const {
  if (callee != "open" && callee != "io.open") return is_path_act_name(callee);
  TSNode mode = pos.size() >= 2 ? pos[1] : TSNode{};
  for (const auto& [k, v] : kw)
    if (k == "mode") mode = v;
  if (ts_node_is_null(mode) || kind(mode) != Kind::String) return false;
  const std::string_view m = text(mode);
  return m.find_first_of("wxa") != std::string_view::npos;
}

void Lowerer::record_call(const LocRef& callee, TSNode at, bool thread_target, bool one_thread, bool callback,
                          uint8_t self_arg) {
  if (callee.root == Root::Element || callee.root == Root::Path) return;
  out_.calls.push_back(Call{env_->scope, locks_.current(), thread_target, env_->loops > 0, one_thread, callback,
                            place(callee), span(at)});
  out_.calls.back().self_arg = self_arg;
}

uint8_t Lowerer::self_argument(const std::vector<TSNode>& pos) {
  const Env* f = function_env(env_);
  if (!f || f->self_name.empty()) return 0;
  for (size_t i = 0; i < pos.size() && i < 255; ++i)
    if (kind(pos[i]) == Kind::Identifier && text(pos[i]) == f->self_name) return static_cast<uint8_t>(i + 1);
  return 0;
}

void Lowerer::note_own_attribute_argument(const std::vector<TSNode>& pos) {
  const Env* f = function_env(env_);
  if (!f || f->self_name.empty()) return;
  for (size_t i = 0; i < pos.size() && i < 255; ++i) {
    TSNode a = strip_parens(pos[i]);
    if (kind(a) != Kind::Attribute) continue;
    TSNode obj = field(a, Field::Object), attr = field(a, Field::AttributeName);
    if (ts_node_is_null(obj) || ts_node_is_null(attr) || kind(obj) != Kind::Identifier || text(obj) != f->self_name)
      continue;
    out_.calls.back().own_attr_arg = static_cast<uint8_t>(i + 1);
    out_.calls.back().own_attr = intern_text(std::string(text(attr)));
    return;
  }
}

void Lowerer::record_callbacks(const std::vector<TSNode>& pos,
                               const std::vector<std::pair<std::string_view, TSNode>>& kw, bool passed) {
  auto one = [&](TSNode a) {
    a = strip_parens(a);
    if (kind(a) != Kind::Attribute && kind(a) != Kind::Identifier) return;
    // Linking keeps it only if it names a method of self's class or a function.
    auto l = to_loc(a);
    if (!l || !(l->root == Root::Self || (l->root == Root::Global && l->path.empty()))) return;
    if (passed && l->root == Root::Self && l->path.find('.') != std::string::npos) return;  // self.a.b: not a method
    const size_t before = out_.calls.size();
    record_call(*l, a, false, false, !passed);
    if (out_.calls.size() > before) out_.calls.back().passed = passed;
  };
  for (TSNode a : pos) one(a);
  for (const auto& [k, v] : kw) one(v);
}

// ---- conditions -----------------------------------------------------------
// Emits Check accesses for what a condition tests and returns them.
void Lowerer::emit_condition(TSNode cond, std::vector<ActiveCheck>& found) {
  cond = strip_parens(cond);
  if (ts_node_is_null(cond)) return;
  collect_condition_checks(cond, found);
}

void Lowerer::collect_condition_checks(TSNode cond, std::vector<ActiveCheck>& found) {
  constexpr bool emit_checks = true;
  cond = strip_parens(cond);
  if (ts_node_is_null(cond)) return;
  DepthGuard g(*this);
  if (too_deep(cond)) return;
  auto add = [&](const LocRef& l, TSNode at, CheckKind check) {
    const uint32_t idx = emit_check(l, at, check);
    found.push_back({out_.accesses[idx].place, idx});
  };
  // Testing `v` after `v = d.get(k)` (or `found` after `found = k in d`) tests `d`.
  auto add_check_alias = [&](TSNode name) {
    if (kind(name) != Kind::Identifier) return;
    if (auto it = env_->check_aliases.find(std::string(text(name))); it != env_->check_aliases.end())
      add(it->second.first, name, it->second.second);
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
      add_check_alias(cond);
      return;
    case Kind::ComparisonOperator: {
      std::vector<TSNode> ops;
      if (is_membership(cond, ops)) {
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
          add_check_alias(s);
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

}  // namespace raceaudit::lowering
