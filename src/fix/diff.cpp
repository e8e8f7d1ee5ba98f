// Myers' O((N+M)D) greedy diff over lines. Each step d keeps only the
// diagonals -d..d of its furthest-reaching paths, so the trace for
// backtracking is O(D^2), small for the few lines fixes change.
#include "fix/diff.h"

#include <algorithm>
#include <vector>

namespace raceaudit {
namespace {

std::vector<std::string_view> split_lines(std::string_view t) {
  std::vector<std::string_view> out;
  size_t at = 0;
  while (at < t.size()) {
    size_t nl = t.find('\n', at);
    nl = nl == std::string_view::npos ? t.size() : nl + 1;
    out.push_back(t.substr(at, nl - at));
    at = nl;
  }
  return out;
}

enum class Op : uint8_t { Same, Del, Add };

// Past this many differing lines the diff says "all of it changed" rather
// than search further (fixes change a few lines; the trace grows as D^2).
constexpr long kMaxSteps = 4096;

// The edit script from a to b, in order.
std::vector<Op> myers(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b) {
  const long n = static_cast<long>(a.size()), m = static_cast<long>(b.size());

  std::vector<std::vector<long>> trace;  // trace[d][k + d]: furthest x on diagonal k after step d
  std::vector<long> prev;
  long d_end = 0;
  for (long d = 0; d <= n + m; ++d) {
    if (d > kMaxSteps) {
      std::vector<Op> all(a.size(), Op::Del);
      all.insert(all.end(), b.size(), Op::Add);
      return all;
    }
    std::vector<long> v(static_cast<size_t>(2 * d + 1));
    auto at = [&](const std::vector<long>& w, long dd, long k) { return w[static_cast<size_t>(k + dd)]; };
    bool done = false;
    for (long k = -d; k <= d; k += 2) {
      long x;
      if (d == 0) x = 0;
      else if (k == -d || (k != d && at(prev, d - 1, k - 1) < at(prev, d - 1, k + 1))) x = at(prev, d - 1, k + 1);
      else x = at(prev, d - 1, k - 1) + 1;
      long y = x - k;
      while (x < n && y < m && a[static_cast<size_t>(x)] == b[static_cast<size_t>(y)]) ++x, ++y;
      v[static_cast<size_t>(k + d)] = x;
      done = done || (x >= n && y >= m);
    }
    trace.push_back(v);
    prev = std::move(v);
    if (done) {
      d_end = d;
      break;
    }
  }
  std::vector<Op> ops;
  long x = n, y = m;
  for (long d = d_end; d > 0; --d) {
    const std::vector<long>& p = trace[static_cast<size_t>(d - 1)];
    const long k = x - y;
    auto pv = [&](long kk) { return p[static_cast<size_t>(kk + d - 1)]; };
    const bool down = k == -d || (k != d && pv(k - 1) < pv(k + 1));
    const long pk = down ? k + 1 : k - 1;
    const long px = pv(pk), py = px - pk;
    const long sx = down ? px : px + 1;  // where the step landed before its snake
    while (x > sx) ops.push_back(Op::Same), --x, --y;
    ops.push_back(down ? Op::Add : Op::Del);
    x = px;
    y = py;
  }
  while (x > 0) ops.push_back(Op::Same), --x;
  std::reverse(ops.begin(), ops.end());
  return ops;
}

void put_line(std::string& out, char mark, std::string_view line) {
  out += mark;
  out += line;
  if (line.empty() || line.back() != '\n') out += "\n\\ No newline at end of file\n";
}

std::string range(size_t start, size_t count) {
  // `diff -u`: a hunk of one line gives no count; an empty one the line before it.
  if (count == 1) return std::to_string(start + 1);
  return std::to_string(count == 0 ? start : start + 1) + "," + std::to_string(count);
}

}  // namespace

std::string unified_diff(const std::string& path, std::string_view before, std::string_view after,
                         unsigned context) {
  if (before == after) return {};
  const auto a = split_lines(before), b = split_lines(after);
  // Lines equal at both ends are matched first; Myers runs on the rest.
  size_t head = 0, tail = 0;
  while (head < a.size() && head < b.size() && a[head] == b[head]) ++head;
  while (tail < a.size() - head && tail < b.size() - head && a[a.size() - 1 - tail] == b[b.size() - 1 - tail]) ++tail;
  std::vector<Op> ops(head, Op::Same);
  const auto middle = myers({a.begin() + head, a.end() - tail}, {b.begin() + head, b.end() - tail});
  ops.insert(ops.end(), middle.begin(), middle.end());
  ops.insert(ops.end(), tail, Op::Same);
  // Position of each op in a and b.
  std::vector<size_t> ai(ops.size() + 1), bi(ops.size() + 1);
  for (size_t i = 0; i < ops.size(); ++i) {
    ai[i + 1] = ai[i] + (ops[i] != Op::Add);
    bi[i + 1] = bi[i] + (ops[i] != Op::Del);
  }
  std::string out = "--- " + path + "\n+++ " + path + "\n";
  size_t i = 0;
  while (i < ops.size()) {
    if (ops[i] == Op::Same) {
      ++i;
      continue;
    }
    // A hunk: from `context` lines before this change to `context` after the
    // last change that is at most 2 * context unchanged lines further on.
    const size_t start = i >= context ? i - context : 0;
    size_t end = i;
    for (size_t same = 0; end < ops.size() && same <= 2 * context; ++end)
      same = ops[end] == Op::Same ? same + 1 : 0;
    while (end > i && ops[end - 1] == Op::Same) --end;
    end = std::min(ops.size(), end + context);
    out += "@@ -" + range(ai[start], ai[end] - ai[start]) + " +" + range(bi[start], bi[end] - bi[start]) + " @@\n";
    for (size_t j = start; j < end; ++j) {
      if (ops[j] == Op::Same) put_line(out, ' ', a[ai[j]]);
      else if (ops[j] == Op::Del) put_line(out, '-', a[ai[j]]);
      else put_line(out, '+', b[bi[j]]);
    }
    i = end;
  }
  return out;
}

}  // namespace raceaudit
