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
};

struct Scope {
  ScopeKind kind = ScopeKind::Module;
  std::string name;
  std::string qualname;          // "Store.add_open_file"; "" for the module
  int32_t parent = -1;
  int32_t enclosing_class = -1;  // for a method: its class scope; for a class: itself
  Span span;
  bool is_method = false;        // function defined directly in a class body
  bool is_property = false;
  bool is_classmethod = false;
  bool is_staticmethod = false;
  bool is_async = false;         // `async def`: runs on an event loop thread
  bool is_init = false;          // __init__, __new__, ... (instance init context)
  bool is_class_init = false;    // runs at class creation: __init_subclass__, __set_name__
  bool is_record = false;        // class whose annotated body names are instance fields (dataclass, attrs, NamedTuple)
  std::string property_returns;  // property whose body is `return self.<attr>`
  std::string returns;           // text of the return annotation, "" when none
  std::vector<Param> params;
  std::vector<std::string> bases;  // class: text of each base expression
};

// What a location expression starts from.
enum class Root : uint8_t {
  Self,     // the instance a method runs on
  Cls,      // the class: cls, type(self), self.__class__
  Global,   // a module-level name of this module (may be an import alias or a class)
  Param,    // a parameter other than self/cls; root_name is the parameter
  Element,  // an element taken from a container location (loop variable, d[k], d.get(k))
  Path,     // a filesystem path expression (os.path.exists(p))
  Returned, // an object returned by a call (`f = self.resolve(p)`); root_name is the callee's key
};

enum class AccessKind : uint8_t {
  Read,
  Write,            // rebinding the location (`x = v`, `del x`)
  ReadModifyWrite,  // `x += 1`, `x = x + 1`
  Mutate,           // in-place change of the container held there (append, d[k] = v, heappush)
  Iterate,          // Python-level iteration over the container
  Check,            // test in a condition: truthiness, len(), membership, `is None`, hasattr
};

// Bits of Access::handled: the access runs inside `try:` whose handlers catch
// the exception its race would raise, so the code already copes with it.
constexpr uint8_t HandledLookup = 1;   // KeyError, IndexError, LookupError, StopIteration
constexpr uint8_t HandledRuntime = 2;  // RuntimeError ("changed size during iteration")

// What a Write stores, as far as rules care.
enum class ValueKind : uint8_t { Other, True, False, None, EmptyContainer, Call, Name };

struct Access {
  AccessKind kind = AccessKind::Read;
  Root root = Root::Self;
  ValueKind value = ValueKind::Other;
  uint8_t handled = 0;       // HandledLookup / HandledRuntime: inside a try whose handlers catch it
  int32_t scope = 0;
  uint32_t order = 0;        // position of the access in the module, in source order
  uint32_t lockset = 0;      // index into ModuleFacts::locksets
  std::string root_name;     // "self", parameter, global name, or the path text for Path
  std::string path;          // dotted attribute chain after the root ("fs.last_ino"), may be ""
  std::string text;          // source text of the location ("self._free_fd_heap")
  std::string detail;        // Mutate: method ("append", "heapq.heappush", "setitem", "delitem", "clear");
                             // Read: "len", "last", "index", "snapshot"; Write: callee for ValueKind::Call
  std::string type_hint;     // Write: the annotation of an annotated assignment
  Span span;                 // of the location expression
  Span stmt;                 // of the enclosing simple statement (or the header of a compound one)
};

// A check (Access of kind Check) that guards an act (any other access) on the
// same location: the act runs only when the check came out a certain way.
struct GuardedAct {
  uint32_t check = 0;  // index into ModuleFacts::accesses
  uint32_t act = 0;
};

struct Call {
  int32_t scope = 0;
  uint32_t lockset = 0;
  bool thread_target = false;  // the callee is handed to Thread(target=...), submit(), ...
  Root root = Root::Global;
  std::string root_name;       // "self" for self.method(), else the first name
  std::string path;            // attribute chain after the root
  Span span;
};

struct Import {
  std::string alias;   // name bound in this module
  std::string module;  // absolute dotted module ("pkg.helpers"), after resolving relative imports
  std::string name;    // imported name for `from m import name`, "" for `import m`
};

struct Suppression {
  uint32_t line = 0;
  bool all_codes = false;          // `# raceaudit: ignore` or `# thread_safe_ok`
  std::vector<std::string> codes;  // `# raceaudit: ignore[RA001,RA003]`
};

struct Diagnostic {
  Span span;
  std::string message;
};

struct ModuleFacts {
  std::string path;         // as given / discovered
  std::string module_name;  // dotted, derived from packages (__init__.py) above the file
  bool is_package = false;  // the file is an __init__.py
  bool ignore_file = false; // `# raceaudit: ignore-file`
  std::vector<Scope> scopes;  // scopes[0] is the module
  std::vector<Access> accesses;
  std::vector<GuardedAct> guarded;
  std::vector<Call> calls;
  std::vector<Import> imports;
  std::vector<std::vector<std::string>> locksets;  // [0] is the empty set; keys like "self._lock"
  std::vector<Suppression> suppressions;
  std::vector<Diagnostic> diagnostics;
  uint64_t bytes = 0;
};

}  // namespace raceaudit
