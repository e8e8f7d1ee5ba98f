#include "models/interpreter_state.h"

namespace raceaudit {

std::string_view implicit_mutator(std::string_view qualified_global) {
  if (qualified_global == "sys.modules") return "any thread's first import of a module adds an entry to it";
  return {};
}

}  // namespace raceaudit
