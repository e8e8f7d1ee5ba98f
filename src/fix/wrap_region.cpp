#include "fix/wrap_region.h"

#include <algorithm>
#include <tuple>

namespace raceaudit {
namespace {

bool starts_before(const Span& a, const Span& b) { return std::tie(a.line, a.col) <= std::tie(b.line, b.col); }
bool ends_after(const Span& a, const Span& b) { return std::tie(a.end_line, a.end_col) >= std::tie(b.end_line, b.end_col); }

// The innermost statement list whose body holds `s`: the last list starting
// at or before it, or one that holds that list.
uint32_t list_of(const std::vector<Block>& blocks, const Span& s) {
  auto it = std::partition_point(blocks.begin() + 1, blocks.end(),
                                 [&](const Block& b) { return starts_before(b.body, s); });
  uint32_t b = static_cast<uint32_t>(it - blocks.begin()) - 1;
  for (size_t steps = 0; b != 0 && !contains(blocks[b].body, s) && steps < blocks.size(); ++steps) b = blocks[b].parent;
  return b;
}

}  // namespace

bool contains(const Span& outer, const Span& inner) { return starts_before(outer, inner) && ends_after(outer, inner); }

Span statement_region(const Project& p, AccessRef r) {
  const Access& a = p.access(r);
  const std::vector<Block>& blocks = p.module(r.module).blocks;
  if (blocks.empty()) return a.stmt;
  // A header's statement has its first body right after the header.
  auto it = std::partition_point(blocks.begin() + 1, blocks.end(),
                                 [&](const Block& b) { return starts_before(b.body, a.stmt); });
  if (it != blocks.end() && it->parent == list_of(blocks, a.stmt) && contains(it->owner, a.stmt)) return it->owner;
  return a.stmt;
}

std::optional<Span> wrap_region(const Project& p, AccessRef first, AccessRef last) {
  const Access& a = p.access(first);
  const Access& b = p.access(last);
  const std::vector<Block>& blocks = p.module(first.module).blocks;
  if (first.module != last.module || a.scope != b.scope || a.stmt.line == 0 || b.stmt.line == 0 || blocks.empty())
    return std::nullopt;
  // Up from the statement of `last` to the statement of first's list that holds it.
  const uint32_t target = list_of(blocks, a.stmt);
  Span held = statement_region(p, last);
  uint32_t list = list_of(blocks, b.stmt);
  for (size_t steps = 0; list != target; ++steps) {
    if (list == 0 || steps > blocks.size()) return std::nullopt;
    held = blocks[list].owner;
    list = blocks[list].parent;
  }
  const Span start = statement_region(p, first);
  if (contains(start, held)) return start;
  if (std::tie(start.end_line, start.end_col) > std::tie(held.line, held.col)) return std::nullopt;
  return Span{start.line, start.col, held.end_line, held.end_col};
}

}  // namespace raceaudit
