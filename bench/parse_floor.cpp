// The parse floor: what the scan costs before any analysis. Discovers the same
// files as `raceaudit scan` (discover()), reads and decodes them
// (read_file/decode_source), blanks whole-line comments as lower_text does
// (blank_comment_lines: the scan's parser never sees them, and
// tree-sitter-python is quadratic in long comment runs), parses each with
// PythonParser and deletes the tree. Workers take the next file from an atomic
// counter, like run_scan.
//
//   raceaudit_parse_floor [--jobs N] [--stage parse|walk|lower] [--no-blank] [--slowest K] PATH...
//   raceaudit_parse_floor --list PATH...     (prints the discovered files, one per line)
//
// --stage lower additionally lowers each file to ModuleFacts (lower_text, which
// parses again internally, so only the lower stage is timed in that mode) and
// drops the facts: parse + lower without link, rules or report.
// --stage walk parses and then walks every node of the tree once with one
// TSTreeCursor (depth first, reading each node's symbol): the least any
// lowering that visits the whole tree through tree-sitter's API has to pay.
// --no-blank parses the decoded text as it is (comments included).
// --slowest K prints the K files that took longest (per-file wall time).
//
// Output (one line, key=value, for bench/bench.py): files, bytes, seconds
// (wall, discovery excluded), discover_seconds, maxrss_kb, nodes, errors.
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "discover/discover.h"
#include "parse/comment_lines.h"
#include "parse/python_parser.h"
#include "scan/scan.h"
#include "util/source_text.h"

using namespace raceaudit;
using Clock = std::chrono::steady_clock;

namespace {

[[noreturn]] void usage() {
  std::fprintf(stderr, "usage: raceaudit_parse_floor [--jobs N] [--stage parse|walk|lower] [--no-blank] [--slowest K] [--list] PATH...\n");
  std::exit(2);
}

// Visits every node once, depth first, with one cursor; returns how many
// nodes it visited (the symbols are summed so that nothing is optimized away).
uint64_t walk_all_nodes(const TSTree* tree) {
  TSTreeCursor c = ts_tree_cursor_new(ts_tree_root_node(tree));
  uint64_t visited = 0, symbols = 0;
  for (bool more = true; more;) {
    symbols += ts_node_symbol(ts_tree_cursor_current_node(&c));
    ++visited;
    if (ts_tree_cursor_goto_first_child(&c)) continue;
    while (!ts_tree_cursor_goto_next_sibling(&c))
      if (!ts_tree_cursor_goto_parent(&c)) {
        more = false;
        break;
      }
  }
  ts_tree_cursor_delete(&c);
  return symbols == 0 ? 0 : visited;
}

}  // namespace

int main(int argc, char** argv) {
  unsigned jobs = 0;
  bool lower = false;
  bool walk = false;
  bool list = false;
  bool blank = true;
  size_t slowest = 0;
  std::vector<std::string> paths;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if ((a == "--jobs" || a == "-j") && i + 1 < argc) jobs = static_cast<unsigned>(std::atoi(argv[++i]));
    else if (a == "--stage" && i + 1 < argc) {
      const std::string s = argv[++i];
      if (s == "lower") lower = true;
      else if (s == "walk") walk = true;
      else if (s != "parse") usage();
    } else if (a == "--list") list = true;
    else if (a == "--no-blank") blank = false;
    else if (a == "--slowest" && i + 1 < argc) slowest = static_cast<size_t>(std::atol(argv[++i]));
    else if (!a.empty() && a[0] == '-') usage();
    else paths.push_back(a);
  }
  if (paths.empty()) usage();

  const auto t0 = Clock::now();
  const DiscoverResult found = discover(paths, DiscoverOptions{});
  const auto t1 = Clock::now();
  if (!found.errors.empty()) {
    for (const auto& e : found.errors) std::fprintf(stderr, "parse_floor: cannot scan %s\n", e.c_str());
    return 2;
  }
  if (list) {
    for (const auto& f : found.files) std::printf("%s\n", f.path.c_str());
    return 0;
  }

  const uint64_t max_file_bytes = ScanOptions{}.max_file_bytes;  // same limit as the scan
  const size_t n = found.files.size();
  std::vector<double> file_seconds(n, 0.0);
  std::atomic<size_t> next{0};
  std::atomic<uint64_t> bytes{0}, nodes{0}, errors{0};
  const LowerOptions lower_options;
  auto worker = [&] {
    PythonParser parser;
    uint64_t my_bytes = 0, my_nodes = 0, my_errors = 0;
    for (size_t i = next++; i < n; i = next++) {
      const auto f0 = Clock::now();
      const DiscoveredFile& f = found.files[i];
      std::string raw, error;
      if (!read_file(f.path, raw, error) || raw.size() > max_file_bytes) {
        ++my_errors;
        continue;
      }
      SourceText src = decode_source(std::move(raw));
      my_bytes += src.text.size();
      if (lower) {
        ModuleFacts facts = lower_text(src.text, f.path, f.module_name, lower_options);
        my_nodes += facts.accesses.size();
      } else {
        const std::string blanked = blank ? blank_comment_lines(src.text) : std::string();
        TreePtr tree = parser.parse(blanked.empty() ? std::string_view(src.text) : std::string_view(blanked));
        if (!tree) ++my_errors;
        else if (walk) my_nodes += walk_all_nodes(tree.get());
        else my_nodes += ts_node_descendant_count(ts_tree_root_node(tree.get()));
      }  // tree deleted here
      file_seconds[i] = std::chrono::duration<double>(Clock::now() - f0).count();
    }
    bytes += my_bytes;
    nodes += my_nodes;
    errors += my_errors;
  };
  unsigned threads = jobs ? jobs : std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<size_t>(threads, std::max<size_t>(1, n)));
  if (threads <= 1) {
    worker();
  } else {
    std::vector<std::thread> pool;
    for (unsigned j = 0; j < threads; ++j) pool.emplace_back(worker);
    for (auto& t : pool) t.join();
  }
  const auto t2 = Clock::now();

  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  std::printf("files=%zu bytes=%llu seconds=%.6f discover_seconds=%.6f maxrss_kb=%ld %s=%llu errors=%llu jobs=%u stage=%s blank=%d\n",
              n, static_cast<unsigned long long>(bytes.load()), std::chrono::duration<double>(t2 - t1).count(),
              std::chrono::duration<double>(t1 - t0).count(), ru.ru_maxrss, lower ? "accesses" : "nodes",
              static_cast<unsigned long long>(nodes.load()), static_cast<unsigned long long>(errors.load()), threads,
              lower ? "lower" : walk ? "walk" : "parse", blank ? 1 : 0);
  if (slowest) {
    std::vector<size_t> order(n);
    for (size_t i = 0; i < n; ++i) order[i] = i;
    const size_t k = std::min(slowest, n);
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.end(),
                      [&](size_t a, size_t b) { return file_seconds[a] > file_seconds[b]; });
    for (size_t i = 0; i < k; ++i)
      std::printf("slow %.4f %s\n", file_seconds[order[i]], found.files[order[i]].path.c_str());
  }
  return 0;
}
