// Lowering: iteration: for loops and comprehensions, built-ins that consume
// an iterable, lazy adapters and the locals holding them, compat helpers, and
// the functions that return a live view of a parameter (ViewHelper).
#include "facts/lowerer.h"

#include "models/iteration.h"

namespace raceaudit::lowering {

namespace {

bool has_keyword(const std::vector<std::pair<std::string_view, TSNode>>& kw, std::string_view name) {
  for (const auto& [k, v] : kw)
    if (k == name) return true;
  return false;
}

// More arguments than this are not followed into a callee's summary.
constexpr size_t kMaxHelperArgs = 8;

}  // namespace

std::optional<LocRef> Lowerer::visit_iterable(TSNode it, Op op) {
  IterSink sink;
  iteration_sources(it, op, sink);
  return sink.element;
}

void Lowerer::add_source(IterSink& sink, IterSource s) {
  if (!sink.emit) {
    sink.found.push_back(std::move(s));
    return;
  }
  const uint32_t idx = emit(AccessKind::Iterate, s.loc, s.at, s.op);
  if (s.helper != kNoPlace) {
    out_.helper_iterations.push_back({idx, s.helper, s.arg});
  } else if (!sink.element) {
    sink.element = element_of(s.loc);
  }
}

void Lowerer::iteration_sources(TSNode it, Op op, IterSink& sink) {
  DepthGuard depth_guard(*this);
  if (ts_node_is_null(it) || too_deep(it)) return;
  it = strip_parens(it);
  if (ts_node_is_null(it)) return;
  if (kind(it) == Kind::Identifier && env_->type == Env::Type::Function)
    if (auto i = env_->iterators.find(std::string(text(it))); i != env_->iterators.end()) {
      for (IterSource s : i->second) {
        s.at = it;
        add_source(sink, std::move(s));
      }
      return;
    }
  if (auto l = to_loc(it)) {
    add_source(sink, IterSource{*l, op, it});
    return;
  }
  if (kind(it) == Kind::Call && iterate_call(it, op, sink)) return;
  if (sink.emit) visit_expr(it);
}

bool Lowerer::iterate_call(TSNode call, Op op, IterSink& sink) {
  TSNode fn = field(call, Field::Function);
  std::vector<TSNode> pos;
  std::vector<std::pair<std::string_view, TSNode>> kw;
  call_arguments(call, pos, kw);
  auto visit_keywords = [&] {
    if (sink.emit)
      for (auto& [k, v] : kw) visit_expr(v);
  };
  if (kind(fn) == Kind::Attribute && pos.empty()) {
    // `d.items()`, `d.itervalues()`: a live view of `d`.
    if (const Op view = view_method_op(text(field(fn, Field::AttributeName))); view != Op::None)
      if (auto l = to_loc(field(fn, Field::Object))) {
        add_source(sink, IterSource{*l, view, call});
        visit_keywords();
        return true;
      }
  }
  const std::string_view callee = text(fn);
  const IterCall c = iteration_call(callee, pos.size(), has_keyword(kw, "default"));
  if (c.use == IterUse::None) return helper_call(call, pos, op, sink);
  if (c.use == IterUse::Copy && !copy_iterates(callee, pos[0])) return false;
  // Adapters pass on what their consumer does; the others say it themselves.
  const Op inner = c.use == IterUse::Adapter ? op : c.op;
  for (size_t i = 0; i < pos.size(); ++i) {
    if (i == c.first || (c.all_after && i > c.first)) iteration_sources(pos[i], inner, sink);
    else if (sink.emit) visit_expr(pos[i]);
  }
  visit_keywords();
  return true;
}

// A copy by `callee` of `arg` iterates it at Python level, unless CPython
// documents it as one locked step: `list(d)`, `set(d)`, `dict(d)`,
// `sorted(d)` of the container itself, `list(d.items())` and
// `sorted(d.keys())` of a dict view (list.extend locks the dict).
bool Lowerer::copy_iterates(std::string_view callee, TSNode arg) {
  arg = strip_parens(arg);
  if (ts_node_is_null(arg)) return false;
  if (kind(arg) == Kind::Identifier && env_->iterators.count(std::string(text(arg)))) return true;
  if (to_loc(arg)) return false;
  if (kind(arg) != Kind::Call) return false;
  TSNode fn = field(arg, Field::Function);
  if (kind(fn) == Kind::Attribute && view_method_op(text(field(fn, Field::AttributeName))) != Op::None)
    return !copies_views_atomically(callee);
  return true;
}

// `dict_values(self._jobstores)`: an unknown callee may hand back a live view
// of a location argument. Each is recorded; linking keeps the iteration only
// when the callee's summary says so (HelperIteration).
bool Lowerer::helper_call(TSNode call, const std::vector<TSNode>& pos, Op op, IterSink& sink) {
  TSNode fn = field(call, Field::Function);
  if (pos.empty() || is_constructor_call(text(fn))) return false;
  const auto callee = to_loc(fn);
  if (!callee || callee->root == Root::Element || callee->root == Root::Path) return false;
  bool any = false;
  for (size_t i = 0; i < pos.size() && i < kMaxHelperArgs; ++i)
    if (auto l = to_loc(pos[i])) {
      add_source(sink, IterSource{*l, op, pos[i], place(*callee), static_cast<uint8_t>(i)});
      any = true;
    }
  if (!any) return false;
  if (sink.emit) visit_call(call);  // records the call and visits its other arguments
  return true;
}

bool Lowerer::consume_call(TSNode call, std::string_view callee, size_t positional) {
  const IterCall c = iteration_call(callee, positional, false);
  if (c.use != IterUse::Consume && c.use != IterUse::Copy) return false;
  IterSink sink;
  return iterate_call(call, Op::None, sink);
}

void Lowerer::bind_iterator(const std::string& name, TSNode value) {
  env_->iterators.erase(name);
  value = strip_parens(value);
  if (ts_node_is_null(value) || kind(value) != Kind::Call) return;
  TSNode fn = field(value, Field::Function);
  std::vector<TSNode> pos;
  std::vector<std::pair<std::string_view, TSNode>> kw;
  call_arguments(value, pos, kw);
  const bool view = kind(fn) == Kind::Attribute && pos.empty() &&
                    view_method_op(text(field(fn, Field::AttributeName))) != Op::None;
  const IterUse use = iteration_call(text(fn), pos.size(), false).use;
  if (!view && use != IterUse::Adapter && use != IterUse::DictHelper) return;
  IterSink sink;
  sink.emit = false;
  iteration_sources(value, Op::None, sink);
  if (!sink.found.empty()) env_->iterators[name] = std::move(sink.found);
}

void Lowerer::visit_comprehension(TSNode n) {
  // Clauses bind their targets before the element expression runs.
  std::vector<TSNode> body_parts;
  for_each_named_child(n, [&](TSNode c, Field f) {
    if (kind(c) == Kind::ForInClause) {
      const auto elem = visit_iterable(field(c, Field::Right));
      bind_loop_targets(field(c, Field::Left), elem);
    } else if (kind(c) == Kind::IfClause) {
      visit_children(c);
    } else if (f == Field::Body || kind(c) != Kind::Comment) {
      body_parts.push_back(c);
    }
  });
  ++env_->loops;
  for (TSNode b : body_parts) visit_expr(b);
  --env_->loops;
}

// ---- functions that return a live view of a parameter ---------------------
int Lowerer::view_of_parameter(TSNode value, const std::vector<std::string>& params) {
  auto index_of = [&](TSNode name) {
    if (kind(name) != Kind::Identifier) return -1;
    for (size_t i = 0; i < params.size(); ++i)
      if (params[i] == text(name)) return static_cast<int>(i);
    return -1;
  };
  value = strip_parens(value);
  if (ts_node_is_null(value) || kind(value) != Kind::Call) return -1;
  TSNode fn = field(value, Field::Function);
  std::vector<TSNode> pos;
  std::vector<std::pair<std::string_view, TSNode>> kw;
  call_arguments(value, pos, kw);
  if (kind(fn) == Kind::Identifier && text(fn) == "iter" && pos.size() == 1) {
    const TSNode arg = strip_parens(pos[0]);
    return kind(arg) == Kind::Identifier ? index_of(arg) : view_of_parameter(arg, params);
  }
  // `d.items(**kw)` (six's spelling) passes nothing a dict's view takes.
  if (kind(fn) == Kind::Attribute && view_method_op(text(field(fn, Field::AttributeName))) != Op::None)
    return index_of(strip_parens(field(fn, Field::Object)));
  return -1;
}

// A `return` of the function being lowered: it stays a view helper while
// every return hands back a view of the same parameter.
void Lowerer::note_view_return(TSNode value) {
  if (view_return_ == kNoView) return;
  std::vector<std::string> names;
  for (const Param& p : out_.scopes[static_cast<size_t>(env_->scope)].params) names.push_back(p.name);
  const int i = ts_node_is_null(value) ? kNoView : view_of_parameter(value, names);
  view_return_ = view_return_ == kNoReturnYet || view_return_ == i ? i : kNoView;
}

// `dict_values = lambda d: d.values()` at module level.
void Lowerer::note_view_lambda(const std::string& name, TSNode lambda) {
  std::vector<std::string> names;
  if (TSNode params = field(lambda, Field::ParametersField); !ts_node_is_null(params))
    for_each_named_child(params, [&](TSNode p) {
      TSNode n = kind(p) == Kind::DefaultParameter ? field(p, Field::Name) : p;
      names.emplace_back(text(n));
    });
  const int i = view_of_parameter(field(lambda, Field::Body), names);
  if (i >= 0) out_.view_helpers.push_back({name, static_cast<uint8_t>(i)});
}

}  // namespace raceaudit::lowering
