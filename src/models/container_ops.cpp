#include "models/container_ops.h"

#include <array>
#include <utility>

#include "models/table_lookup.h"

namespace raceaudit {

using models::last_part;

namespace {

// In-place mutators of list, dict, set, deque, bytearray.
constexpr std::array<std::pair<std::string_view, Op>, 19> kMethods = {{
    {"append", Op::Append},
    {"appendleft", Op::AppendLeft},
    {"insert", Op::Insert},
    {"extend", Op::Extend},
    {"extendleft", Op::ExtendLeft},
    {"add", Op::Add},
    {"update", Op::Update},
    {"setdefault", Op::SetDefault},
    {"pop", Op::Pop},
    {"popleft", Op::PopLeft},
    {"popitem", Op::PopItem},
    {"remove", Op::Remove},
    {"discard", Op::Discard},
    {"clear", Op::Clear},
    {"sort", Op::Sort},
    {"reverse", Op::Reverse},
    {"rotate", Op::Rotate},
    {"difference_update", Op::DifferenceUpdate},
    {"intersection_update", Op::IntersectionUpdate},
}};

constexpr std::array<std::pair<std::string_view, Op>, 5> kHeapq = {{
    {"heappush", Op::HeapPush},
    {"heappop", Op::HeapPop},
    {"heappushpop", Op::HeapPushPop},
    {"heapreplace", Op::HeapReplace},
    {"heapify", Op::Heapify},
}};

constexpr std::array<std::pair<std::string_view, Container>, 9> kFactories = {{
    {"list", Container::List},
    {"dict", Container::Dict},
    {"OrderedDict", Container::Dict},
    {"defaultdict", Container::DefaultDict},
    {"Counter", Container::Dict},
    {"WeakValueDictionary", Container::Dict},
    {"WeakKeyDictionary", Container::Dict},
    {"set", Container::Set},
    {"deque", Container::Deque},
}};

}  // namespace

Op container_method_op(std::string_view method, size_t nargs) {
  for (const auto& [name, op] : kMethods)
    if (name == method) return op == Op::Clear && nargs > 0 ? Op::ClearSome : op;
  return Op::None;
}

bool is_queue_size_method(std::string_view m) { return m == "empty" || m == "qsize" || m == "full"; }

bool is_queue_get(std::string_view m, size_t positional) {
  return (m == "get" && positional == 0) || (m == "get_nowait" && positional == 0);
}

Op heapq_op(std::string_view callee) {
  const std::string_view f = last_part(callee);
  if (f.size() != callee.size() && callee != std::string("heapq.").append(f)) return Op::None;
  for (const auto& [name, op] : kHeapq)
    if (name == f) return op;
  return Op::None;
}

Container container_of_factory(std::string_view callee) {
  const std::string_view f = last_part(callee);
  for (const auto& [name, c] : kFactories)
    if (name == f) return c;
  return Container::Unknown;
}

bool is_container_base(std::string_view base) {
  // Subscripted bases (`Dict[str, int]`, `MutableMapping[str, str]`) count by their name.
  const std::string_view name = last_part(base.substr(0, base.find('[')));
  static constexpr std::array<std::string_view, 22> kBases = {
      "dict", "list", "set", "frozenset", "tuple", "deque", "OrderedDict", "defaultdict", "Counter",
      "UserDict", "UserList", "UserString", "Mapping", "MutableMapping", "Sequence", "MutableSequence",
      "Set", "MutableSet", "Dict", "List", "NamedTuple", "bytearray"};
  return models::in(name, kBases);
}

bool is_heapq(Op op) { return op >= Op::HeapPush && op <= Op::Heapify; }

bool removes_element(Op op) {
  switch (op) {
    case Op::Pop: case Op::PopLeft: case Op::PopItem: case Op::HeapPop: case Op::HeapPushPop: case Op::HeapReplace:
      return true;
    default:
      return false;
  }
}

bool reads_element(Op op) { return op == Op::Index || op == Op::Last || op == Op::NextIter; }

bool appends_item(Op op) { return op == Op::Append || op == Op::AppendLeft || op == Op::Insert; }

bool changes_membership(Op op) {
  switch (op) {
    case Op::SetItem: case Op::DelItem: case Op::Add: case Op::Discard: case Op::Remove: case Op::SetDefault:
    case Op::Update: case Op::Append: case Op::Insert: case Op::Extend: case Op::PathAct:
      return true;
    default:
      return false;
  }
}

bool empties(Op op) { return op == Op::Clear; }

std::string_view op_name(Op op) {
  for (const auto& [name, o] : kMethods)
    if (o == op) return name;
  switch (op) {
    case Op::None: return "";
    case Op::ClearSome: return "clear(...)";
    case Op::SetItem: return "setitem";
    case Op::DelItem: return "delitem";
    case Op::HeapPush: return "heapq.heappush";
    case Op::HeapPop: return "heapq.heappop";
    case Op::HeapPushPop: return "heapq.heappushpop";
    case Op::HeapReplace: return "heapq.heapreplace";
    case Op::Heapify: return "heapq.heapify";
    case Op::PathAct: return "path-act";
    case Op::Index: return "index";
    case Op::Last: return "last";
    case Op::Len: return "len";
    case Op::Snapshot: return "snapshot";
    case Op::Get: return "get";
    case Op::NextIter: return "next_iter";
    case Op::Advance: return "next";
    case Op::MethodCall: return "method-call";
    case Op::Items: return "items";
    case Op::Keys: return "keys";
    case Op::Values: return "values";
    case Op::Consume: return "consume";
    case Op::MinMax: return "min/max";
    case Op::QueueGet: return "queue-get";
    case Op::Del: return "del";
    case Op::AugAssign: return "augmented";
    case Op::ItemAugAssign: return "item-augmented";
    case Op::SelfAssign: return "self-assign";
    default: return "?";
  }
}

std::string_view check_name(CheckKind check) {
  switch (check) {
    case CheckKind::None: return "";
    case CheckKind::Truth: return "truth";
    case CheckKind::Len: return "len";
    case CheckKind::In: return "in";
    case CheckKind::IsNone: return "none";
    case CheckKind::Compare: return "compare";
    case CheckKind::Item: return "item";
    case CheckKind::Get: return "get";
    case CheckKind::HasAttr: return "hasattr";
    case CheckKind::Exists: return "exists";
    case CheckKind::Snapshot: return "snapshot";
    case CheckKind::QueueSize: return "queue-size";
  }
  return "?";
}

}  // namespace raceaudit
