// The typed record that lowering produces for one module and that the linker
// and the rules read. Nothing here refers to the syntax tree.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace raceaudit {

struct Span {
  uint32_t line = 0;       // 1-based
  uint32_t col = 0;        // 1-based, in bytes of the line (reports convert to characters)
  uint32_t end_line = 0;
  uint32_t end_col = 0;
};

enum class ScopeKind : uint8_t { Module, Class, Function };

struct Param {
  std::string name;
  std::string annotation;  // text of the annotation, "" when none
  std::string default_name;  // a default that is a name (`parser_class=DefaultParser`), else ""
  bool required = false;     // no default, not `*args` / `**kwargs`
};

// A method whose first statement is `if self.<attr> != <state>: raise ...`:
// it runs only while its object is in that state.
struct StateGate {
  int32_t scope = 0;  // the method
  std::string attr;   // "state"
  std::string state;  // "STATE_STOPPED", "State.STOPPED"
};

struct Scope {
  std::string name;
  std::string qualname;          // "Store.add_open_file"; "" for the module
  int32_t parent = -1;
  int32_t enclosing_class = -1;  // for a method: its class scope; for a class: itself
  uint32_t property_returns = 0;  // method with a `return self.<attr>` or `self.<a>.<b>` (or `cls.`): the path (ModuleFacts::texts)
  uint32_t returns = 0;           // text of the return annotation, 0 ("") when none (ModuleFacts::texts)
  Span span;
  ScopeKind kind = ScopeKind::Module;
  bool is_method = false;        // function defined directly in a class body
  bool is_property = false;
  bool is_classmethod = false;
  bool is_staticmethod = false;
  bool is_async = false;         // `async def`: runs on an event loop thread
  bool is_generator = false;     // its body yields (a generator, or a @contextmanager's body)
  bool is_init = false;          // __init__, __new__, ... (instance init context)
  bool is_class_init = false;    // runs at class creation: __init_subclass__, __set_name__
  bool is_record = false;        // class whose annotated body names are instance fields (dataclass, attrs, NamedTuple)
  bool is_metaclass = false;     // class deriving from `type`: its methods' first parameter is a class
  // One byte for the last three flags keeps Scope at 160 bytes (lower_test).
  bool is_test_setup : 1 = false;       // named like a unittest/pytest set-up or tear-down hook (linking
                                        // checks that its class is a test class)
  bool schedules_on_loop : 1 = false;   // calls an event loop's scheduler (schedules_on_event_loop)
  bool needs_running_loop : 1 = false;  // calls asyncio.get_running_loop(): runs on a loop's thread
  uint32_t decorator = 0;        // the outermost decorator's text before any `(` (ModuleFacts::texts)
  std::vector<Param> params;
  std::vector<std::string> bases;  // class: text of each base expression
};

// What a location expression starts from.
enum class Root : uint8_t {
  Self,       // the instance a method runs on
  Cls,        // the class: cls, type(self), self.__class__
  Global,     // a module-level name of this module (may be an import alias or a class)
  Param,      // a parameter other than self/cls; Place::root_name is the parameter
  Element,    // an element taken from a container (loop variable, d[k], d.get(k)); Place::base is the container
  Path,       // a filesystem path expression (os.path.exists(p)); Place::root_name is its text
  Returned,   // an object returned by a call (`f = self.resolve(p)`); Place::base is the callee
  LockHelper, // what `_acquireLock()` / `self._acquire_lock()` take; Place::path is the receiver's text
};

// Index into ModuleFacts::places.
using PlaceId = uint32_t;
constexpr PlaceId kNoPlace = UINT32_MAX;

// A possibly shared place as lowering names it: a root and an attribute path.
// Interned per module, so equal places have equal ids.
struct Place {
  Root root = Root::Self;
  std::string root_name;   // Self/Cls/Param/Global: the name; Path: the path expression; else ""
  std::string path;        // dotted attribute chain after the root ("fs.last_ino"), may be ""
  PlaceId base = kNoPlace; // Element: the container's place; Returned: the callee's place

  bool operator==(const Place& o) const {
    return root == o.root && base == o.base && root_name == o.root_name && path == o.path;
  }
};

enum class AccessKind : uint8_t {
  Read,
  Write,            // rebinding the location (`x = v`, `del x`)
  ReadModifyWrite,  // `x += 1`, `x = x + 1`
  Mutate,           // in-place change of the container held there (append, d[k] = v, heappush)
  Iterate,          // Python-level iteration over the container
  Check,            // test in a condition: truthiness, len(), membership, `is None`, hasattr
};

// What an access does, beyond its kind. The meaning of each operation
// (atomic? removes an element? empties?) is in models/container_ops.h.
enum class Op : uint8_t {
  None,
  // Mutate: methods of list, dict, set, deque, bytearray
  Append, AppendLeft, Insert, Extend, ExtendLeft, Add, Update, SetDefault, Pop, PopLeft, PopItem, Remove,
  Discard, Clear,
  ClearSome,  // `.clear(args)`: a method of the object's own (CookieJar.clear(domain)), not emptying
  Sort, Reverse, Rotate, DifferenceUpdate, IntersectionUpdate,
  SetItem, DelItem,                                             // d[k] = v, del d[k]
  HeapPush, HeapPop, HeapPushPop, HeapReplace, Heapify,         // heapq on a list
  PathAct,                                                      // os.mkdir(p), open(p, "w"), ...
  // Read
  Index, Last, Len, Snapshot, Get, NextIter,                    // x[i], x[-1], len(x), list(x), x.get(k), next(iter(x))
  Advance,                                                      // next(x): runs a generator / iterator one step
  QueueGet,                                                     // q.get(), q.get_nowait(): waits or raises Empty
  MethodCall,                                                   // self.sock.sendall(...): a use of the object held there
  // Iterate
  Items, Keys, Values,                                          // for k, v in x.items()
  Consume,                                                      // tuple(x), sum(x), any(x): iterates x
  MinMax,                                                       // min(x) / max(x): iterates x, ValueError when empty
  // Write
  Del,                                                          // del x
  // ReadModifyWrite
  AugAssign, ItemAugAssign, SelfAssign,                         // x += 1, x[k] += 1, x = x + 1
};

// What a Check access tests.
enum class CheckKind : uint8_t {
  None, Truth, Len, In, IsNone, Compare, Item, Get, HasAttr, Exists,
  Snapshot,  // `for k in list(d):` — the body's keys were in `d` when the copy was taken
  QueueSize, // `q.empty()`, `q.qsize()`, `q.full()` of a queue.Queue
};

// Bits of Access::handled: the access runs inside `try:` whose handlers catch
// the exception its race would raise, so the code already copes with it.
constexpr uint8_t HandledLookup = 1;   // KeyError, IndexError, LookupError, StopIteration
constexpr uint8_t HandledRuntime = 2;  // RuntimeError ("changed size during iteration")

// What a Write stores, as far as rules care.
enum class ValueKind : uint8_t {
  Other, True, False, None, EmptyContainer, Call, Name,
  BuiltHere,  // `d[k] = rules` where `rules` is a container this function built (`rules = []`, then appends)
  Constant,   // a string literal, or a list/tuple/set of them (`["h2"]`); numbers are often counters
};

// The built-in container a Write stores, when the value says (`[]`, `dict()`,
// `collections.deque()`); rules word their symptom by it.
enum class Container : uint8_t {
  Unknown, List, Dict, Set, Deque,
  DefaultDict,  // collections.defaultdict: reading a missing key `d[k]` inserts it
};

struct Access {
  AccessKind kind = AccessKind::Read;
  Op op = Op::None;
  CheckKind check = CheckKind::None;  // for kind Check
  ValueKind value = ValueKind::Other;
  Container container = Container::Unknown;  // Write: what the stored value is
  uint8_t handled = 0;       // HandledLookup / HandledRuntime: inside a try whose handlers catch it
  uint16_t section = 0;      // critical section (LockRegions::section): equal and nonzero = no release between
  int32_t scope = 0;
  PlaceId place = 0;         // into ModuleFacts::places
  uint32_t order = 0;        // position of the access in the module, in source order
  uint32_t lockset = 0;      // index into ModuleFacts::locksets
  uint32_t value_text = 0;   // Write: the callee for ValueKind::Call, the name for ValueKind::Name (ModuleFacts::texts)
  uint32_t type_hint = 0;    // Write: the annotation of an annotated assignment (ModuleFacts::texts)
  std::string text;          // source text of the location ("self._free_fd_heap")
  Span span;                 // of the location expression
  Span stmt;                 // of the enclosing simple statement (or the header of a compound one)
};

// Where a fix can add a first statement to the body of the module or a class
// (src/fix/lock_setup.cpp): before the line of its first statement after the
// docstring, or after a docstring that is all it has. None for a body on the
// line of its `class`.
struct BodyStart {
  int32_t scope = 0;
  uint32_t line = 0;    // a new statement goes before this line
  uint16_t indent = 0;  // columns of white space before the body's statements
};

// A statement list: a module, a function or class body, or one clause's body
// of a compound statement. Fixes that wrap several statements in a lock find
// the statements of one list through it (src/fix/wrap_region.cpp).
// In ModuleFacts::blocks they come in source order of their bodies (nested
// ones after the one holding them), so the list of a statement is found by
// binary search.
struct Block {
  uint32_t parent = 0;  // the list holding `owner`; blocks[0], the module, is its own parent
  Span owner;           // the whole statement this is a body of (all its clauses); empty for the module
  Span body;            // the statements of the list
};

// A check (Access of kind Check) that guards an act (any other access) on the
// same location: the act runs only when the check came out a certain way.
struct GuardedAct {
  uint32_t check = 0;  // index into ModuleFacts::accesses
  uint32_t act = 0;
};

// An `if` statement that a fix may replace whole (src/fix/ra005_fix.cpp): no
// elif or else, a condition that is one membership or path test, and a body
// of one simple statement that acts on what the condition tests. Lowering
// records only this shape, with the texts a rewrite needs; the fix decides
// what it can make of it.
enum class IfBody : uint8_t {
  StoreItem,   // if k not in d: d[k] = v
  DeleteItem,  // if k in d: del d[k]
  PathCall,    // if not os.path.exists(p): os.makedirs(p)  (or os.path.isdir)
};

struct ReplaceableIf {
  IfBody body = IfBody::StoreItem;
  bool negated = false;  // the test is `not in` / `not f(p)`
  bool pure = false;     // key and value cannot have side effects (literals, names, attribute reads, `[]`)
  bool isdir = false;    // a PathCall's test is os.path.isdir (not exists)
  uint32_t act = 0;      // the body's act (ModuleFacts::accesses)
  uint32_t container = 0;  // text (ModuleFacts::texts): `d` of `d[k]`
  uint32_t key = 0;      // text: `k` as both the test and the act write it; the path `p`
  uint32_t value = 0;    // text: `v` of a store
  uint32_t callee = 0;   // text: the function a PathCall calls (`os.makedirs`)
  uint32_t indent = 0;   // text: the white space before `if` on its line
  Span span;             // `if` through the end of the body's statement (not a comment after it)
  Span test;             // `if` through the end of the condition (the colon follows)
  Span line_end;         // the end of the body's last line, comment included (an empty span)
};

struct Call {
  int32_t scope = 0;
  uint32_t lockset = 0;
  bool thread_target = false;  // the callee is handed to Thread(target=...), submit(), ...
  bool in_loop = false;        // in a loop body or a comprehension: may run many times per call
  bool one_thread = false;     // thread_target of Thread/Timer: one new thread per call (not a pool task)
  bool callback = false;       // the callee is handed to another object to call later (`register_hook(self.m)`)
  PlaceId callee = 0;          // `self.method` is Self + "method"; a plain name is Global
  Span span;
  // Not a call: the callee is passed as an argument (`retry(self._inner_acquire)`,
  // `map(_parse, xs)`), so the call it is passed to may run it, now or later.
  bool passed = false;
  bool to_loop = false;  // passed to an event loop's scheduler: runs on the loop's thread
  // 1 + the index of the positional argument that is the calling method's own
  // instance (`ConnectionHandler(self, ...)`), 0 when none is.
  uint8_t self_arg = 0;
  // The same for an attribute of it (`WorkerThread(self.server)`): 1 + the
  // index, and the attribute's name (ModuleFacts::texts); 0 when none is.
  uint8_t own_attr_arg = 0;
  uint32_t own_attr = 0;
};

// An Iterate access of an argument passed to a project function
// (`for v in dict_values(self.d)`): linking keeps it only when the callee
// returns a live view of that argument (ViewHelper), else it is no location.
struct HelperIteration {
  uint32_t access = 0;  // into ModuleFacts::accesses
  PlaceId callee = 0;
  uint8_t arg = 0;      // positional argument index at the call
};

// A function or lambda of this module whose value is a live view of one of
// its parameters: `def iteritems(d): return iter(d.items())`,
// `dict_values = lambda d: d.values()`.
struct ViewHelper {
  std::string name;  // qualname of the function, or the name the lambda is bound to
  uint8_t param = 0; // index into the parameters (a method's counts `self`)
};

struct Import {
  std::string alias;   // name bound in this module
  std::string module;  // absolute dotted module ("pkg.helpers"), after resolving relative imports
  std::string name;    // imported name for `from m import name`, "" for `import m`, "*" for `from m import *`
};

struct Suppression {
  uint32_t line = 0;
  bool all_codes = false;          // `# raceaudit: ignore` or `# thread_safe_ok`
  std::vector<std::string> codes;  // `# raceaudit: ignore[RA001,RA003]`
};

struct Diagnostic {
  Span span;
  std::string message;
  bool syntax_error = false;  // the file does not parse (or is badly indented); JSON and SARIF say so
};

// Every place a module names a global that one of its functions declares
// `global`, where an import can go, and which attributes it reads off the
// names its imports bind: what a fix needs to turn such a global into a
// contextvars.ContextVar (src/fix/ra007_fix.cpp). Accesses do not say it: a
// plain read of a name (`return _uid`, `settings._uid`) is no access.
// Recorded by lower_name_uses.cpp, after the rest of lowering.
enum class NameRole : uint8_t {
  Load,     // read where any expression may stand: `return _uid`, `f(_uid)`, `f"{_uid}"`
  Store,    // any other use: an assignment target, `del`, a parameter, an import, a match
            // pattern, the object of an attribute or item store (`_uid.x = 1`)
  Declare,  // named in a `global` statement
};

// What a Store stores when it is the one target of a plain `name = value`.
enum class StoredValue : uint8_t {
  NotSimple,  // not such an assignment: `a = b = v`, `a, b = v`, `a += 1`, `for a in ...`
  Literal,    // a number, a string without interpolation, True, False, None, `-1`
  Name,       // an identifier or a dotted name
  Tuple,      // a bare tuple (`a, b`): as an argument it needs parentheses
  Other,
};

struct NameUse {
  uint16_t name = 0;  // into NameUses::globals
  NameRole role = NameRole::Load;
  StoredValue value_kind = StoredValue::NotSimple;
  Span span;          // the identifier
  Span value;         // value_kind other than NotSimple: the value expression
};

struct NameUses {
  bool complete = false;             // false: not looked at (syntax error, too deep); rely on none of it
  std::vector<std::string> globals;  // the names functions declare `global`, sorted
  std::vector<NameUse> uses;         // every identifier naming one of them, in source order
  std::vector<std::string> module_attributes;  // attributes read off an imported name (`settings._uid`), sorted
  // Only in a module with `global` names:
  std::vector<uint32_t> import_ends;  // last line of each top-level import that ends its line, in order
  uint32_t first_line = 0;            // first line of the first top-level statement after the docstring
  uint32_t contextvars_line = 0;      // line of a top-level `import contextvars`, 0 when none
};

struct ModuleFacts {
  std::string path;         // as given / discovered
  std::string module_name;  // dotted, derived from packages (__init__.py) above the file
  bool is_package = false;  // the file is an __init__.py
  bool ignore_file = false; // `# raceaudit: ignore-file`
  std::vector<Scope> scopes;  // scopes[0] is the module
  std::vector<Access> accesses;
  std::vector<GuardedAct> guarded;
  std::vector<ReplaceableIf> ifs;              // in act order
  std::vector<Call> calls;
  std::vector<Import> imports;
  std::vector<HelperIteration> helper_iterations;  // in access order
  std::vector<ViewHelper> view_helpers;
  std::vector<Place> places;                   // interned; Access::place, Call::callee and locksets index it
  std::vector<Block> blocks;                   // [0] is the module's statements
  std::vector<BodyStart> body_starts;          // by scope, in scope order
  uint32_t import_end_line = 0;  // last line of the last top-level import before the first def or class
  uint32_t first_def_line = 0;   // first line (decorators included) of the first top-level def or class
  std::vector<std::vector<PlaceId>> locksets;  // [0] is the empty set; each sorted
  std::vector<StateGate> gates;  // few per module (most have none), in scope order
  std::vector<std::string> texts{std::string()};  // interned texts of writes and scopes; [0] is ""
  std::vector<Suppression> suppressions;
  std::vector<Diagnostic> diagnostics;
  NameUses names;  // uses of the globals functions declare `global`, imported names' attributes
  std::vector<std::string> private_references;  // `_x` names the text mentions outside their `def` (sorted)
  uint64_t bytes = 0;

  // Most writes store neither a name nor a call and have no annotation, most
  // functions have no return annotation: the texts live here once, not in
  // every Access and Scope.
  const std::string& value_text(const Access& a) const { return texts[a.value_text]; }
  const std::string& type_hint(const Access& a) const { return texts[a.type_hint]; }
  const std::string& returns(const Scope& s) const { return texts[s.returns]; }
  const std::string& property_returns(const Scope& s) const { return texts[s.property_returns]; }
  const std::string& decorator(const Scope& s) const { return texts[s.decorator]; }
  const StateGate* gate(int32_t scope) const {
    for (const StateGate& g : gates)
      if (g.scope == scope) return &g;
    return nullptr;
  }
};

}  // namespace raceaudit
