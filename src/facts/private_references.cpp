// One pass over the text, no tree: see private_references.h.
#include "facts/private_references.h"

#include <algorithm>
#include <cctype>
#include <unordered_set>

namespace raceaudit {
namespace {

bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Is the identifier starting at `at` the name of a `def` (`def _x(`, `async def _x(`)?
bool after_def(std::string_view text, size_t at) {
  size_t i = at;
  while (i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\t')) --i;
  if (i == at || i < 3 || text.compare(i - 3, 3, "def") != 0) return false;
  return i == 3 || !ident_char(text[i - 4]);
}

// `self._x` / `cls._x`: lowering records these, and the call graph resolves
// them in the class hierarchy.
bool after_self(std::string_view text, size_t at) {
  for (std::string_view r : {std::string_view("self."), std::string_view("cls.")})
    if (at >= r.size() && text.compare(at - r.size(), r.size(), r) == 0 &&
        (at == r.size() || !ident_char(text[at - r.size() - 1])))
      return true;
  return false;
}

}  // namespace

std::vector<std::string> private_references(std::string_view text) {
  std::unordered_set<std::string_view> found;
  for (size_t i = 0; i < text.size();) {
    if (!ident_char(text[i]) || (i > 0 && ident_char(text[i - 1]))) {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < text.size() && ident_char(text[end])) ++end;
    const std::string_view name = text.substr(i, end - i);
    const bool dunder = name.size() > 4 && name.substr(0, 2) == "__" && name.substr(name.size() - 2) == "__";
    if (name.size() > 1 && name[0] == '_' && !dunder && !after_def(text, i) && !after_self(text, i)) found.insert(name);
    i = end;
  }
  std::vector<std::string> out(found.begin(), found.end());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace raceaudit
