// Lowering: a method whose first statement refuses to run unless its object
// is in one state,
//     if self.state != STATE_STOPPED:
//         raise SchedulerAlreadyRunningError
// records the attribute and the state (ModuleFacts::gates).
// Linking decides whether that state is the one before the object's threads
// start (src/link/state_gates.cpp).
#include "facts/lowerer.h"

namespace raceaudit::lowering {

void Lowerer::note_state_gate(TSNode body, int32_t sid) {
  if (env_->self_name.empty()) return;
  TSNode first{};
  for (TSNode st : named_children(body)) {
    const Kind k = kind(st);
    if (k == Kind::Comment) continue;
    if (k == Kind::ExpressionStatement && kind(first_named_child(st)) == Kind::String) continue;  // docstring
    first = st;
    break;
  }
  if (ts_node_is_null(first) || kind(first) != Kind::IfStatement) return;
  if (!ts_node_is_null(field(first, Field::Alternative))) return;
  const TSNode cond = strip_parens(field(first, Field::Condition));
  if (kind(cond) != Kind::ComparisonOperator) return;
  const std::vector<TSNode> ops = named_children(cond);
  if (ops.size() != 2) return;
  const uint32_t b = ts_node_end_byte(ops[0]), e = ts_node_start_byte(ops[1]);
  std::string op;  // the operator, white space dropped: "!=", "isnot"
  for (char c : e > b ? src_.substr(b, e - b) : std::string_view())
    if (c != ' ' && c != '\t' && c != '\\' && c != '\n' && c != '\r') op += c;
  if (op != "!=" && op != "isnot") return;
  const TSNode state = strip_parens(ops[1]);
  if (kind(state) != Kind::Identifier && !(kind(state) == Kind::Attribute && is_dotted_name(state))) return;
  const auto attr = to_loc(strip_parens(ops[0]));
  if (!attr || attr->root != Root::Self || attr->path.empty() || attr->path.find('.') != std::string::npos) return;
  TSNode raise{};
  for (TSNode st : named_children(field(first, Field::Consequence)))
    if (kind(st) != Kind::Comment) {
      raise = st;
      break;
    }
  if (ts_node_is_null(raise) || kind(raise) != Kind::RaiseStatement) return;
  out_.gates.push_back({sid, attr->path, std::string(text(state))});
}

}  // namespace raceaudit::lowering
