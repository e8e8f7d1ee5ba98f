// Google Benchmark micro-benchmarks of the analysis stages on representative
// inputs, read at run time (nothing is copied into the repository):
//   typing           /usr/lib/python3.11/typing.py (big stdlib module)
//   fake_filesystem  /usr/lib/python3/dist-packages/pyfakefs/fake_filesystem.py
//                    (class-heavy, self.attr everywhere: the users' kind of code)
//   inventory_fs     examples/inventory_fs (the bundled multi-file example)
// Other inputs: RACEAUDIT_BENCH_INPUTS="name=path[:name=path...]" (a file or a dir).
// Inputs that do not exist on this machine are skipped with a note.
//
// Stages, each per input:
//   Parse      tree-sitter parse only (the floor), of the text with whole-line
//              comments blanked, as lower_text parses it
//   LowerText  lower_text(): blank comments + parse + syntax checks + lower + suppressions
//   LowerOnly  lower_module() on a tree parsed once (lowering proper)
//   Link       Project constructor over the input's facts (a copy per iteration)
//   Rules      all_rules() over the linked Project
//   Rule/RAnnn each rule alone
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "discover/discover.h"
#include "driver/analyze.h"
#include "link/project.h"
#include "parse/comment_lines.h"
#include "parse/python_parser.h"
#include "rules/rule.h"
#include "scan/scan.h"
#include "util/source_text.h"

#ifndef RACEAUDIT_SOURCE_DIR
#define RACEAUDIT_SOURCE_DIR "."
#endif

using namespace raceaudit;

namespace {

struct Input {
  std::string name;
  std::vector<DiscoveredFile> files;
  std::vector<std::string> texts;  // decoded
  std::vector<std::string> codes;  // decoded, whole-line comments blanked: what the parser sees
  size_t bytes = 0;
  std::vector<ModuleFacts> facts;  // lowered once, for Link and Rules
};

bool load(const std::string& name, const std::string& path, Input& in) {
  DiscoverResult d = discover({path}, DiscoverOptions{});
  if (!d.errors.empty() || d.files.empty()) return false;
  in.name = name;
  for (auto& f : d.files) {
    std::string raw, err;
    if (!read_file(f.path, raw, err)) continue;
    in.texts.push_back(decode_source(std::move(raw)).text);
    std::string blanked = blank_comment_lines(in.texts.back());
    in.codes.push_back(blanked.empty() ? in.texts.back() : std::move(blanked));
    in.bytes += in.texts.back().size();
    in.files.push_back(f);
  }
  for (size_t i = 0; i < in.files.size(); ++i)
    in.facts.push_back(lower_text(in.texts[i], in.files[i].path, in.files[i].module_name, LowerOptions{}));
  return !in.files.empty();
}

std::vector<Input>& inputs() {
  static std::vector<Input> all;
  return all;
}

void set_counters(benchmark::State& state, const Input& in) {
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(in.bytes));
  size_t accesses = 0;
  for (const auto& f : in.facts) accesses += f.accesses.size();
  state.counters["files"] = static_cast<double>(in.files.size());
  state.counters["accesses"] = static_cast<double>(accesses);
}

void BM_Parse(benchmark::State& state, const Input* in) {
  PythonParser parser;
  for (auto _ : state)
    for (const auto& t : in->codes) {
      TreePtr tree = parser.parse(t);
      benchmark::DoNotOptimize(tree.get());
    }
  set_counters(state, *in);
}

void BM_LowerText(benchmark::State& state, const Input* in) {
  const LowerOptions opt;
  for (auto _ : state)
    for (size_t i = 0; i < in->texts.size(); ++i) {
      ModuleFacts f = lower_text(in->texts[i], in->files[i].path, in->files[i].module_name, opt);
      benchmark::DoNotOptimize(f.accesses.data());
    }
  set_counters(state, *in);
}

void BM_LowerOnly(benchmark::State& state, const Input* in) {
  const LowerOptions opt;
  PythonParser parser;
  std::vector<TreePtr> trees;
  for (const auto& t : in->codes) trees.push_back(parser.parse(t));
  for (auto _ : state)
    for (size_t i = 0; i < in->texts.size(); ++i) {
      ModuleFacts f;
      f.path = in->files[i].path;
      f.module_name = in->files[i].module_name;
      lower_module(trees[i].get(), in->codes[i], opt, f);
      benchmark::DoNotOptimize(f.accesses.data());
    }
  set_counters(state, *in);
}

void BM_Link(benchmark::State& state, const Input* in) {
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<ModuleFacts> copy = in->facts;
    state.ResumeTiming();
    Project p(std::move(copy), LinkOptions{});
    benchmark::DoNotOptimize(p.locations().data());
    state.PauseTiming();  // the Project's destructor is not linking
    { Project gone = std::move(p); }
    state.ResumeTiming();
  }
  set_counters(state, *in);
}

void BM_Rules(benchmark::State& state, const Input* in, const Rule* only) {
  const Project project(in->facts, LinkOptions{});
  size_t found = 0;
  for (auto _ : state) {
    std::vector<Finding> out;
    if (only) {
      only->check(project, out);
    } else {
      for (const auto& r : all_rules()) r->check(project, out);
    }
    found = out.size();
    benchmark::DoNotOptimize(out.data());
  }
  set_counters(state, *in);
  state.counters["findings"] = static_cast<double>(found);
}

// The whole analysis as scan runs it: link, rules, one finding per line.
void BM_Analyze(benchmark::State& state, const Input* in) {
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<ModuleFacts> copy = in->facts;
    state.ResumeTiming();
    Analysis a = analyze(std::move(copy), LinkOptions{});
    benchmark::DoNotOptimize(a.findings.data());
    state.PauseTiming();  // the destructor is not analysis
    { Analysis gone = std::move(a); }
    state.ResumeTiming();
  }
  set_counters(state, *in);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::pair<std::string, std::string>> specs = {
      {"typing", "/usr/lib/python3.11/typing.py"},
      {"fake_filesystem", "/usr/lib/python3/dist-packages/pyfakefs/fake_filesystem.py"},
      {"inventory_fs", RACEAUDIT_SOURCE_DIR "/examples/inventory_fs"},
  };
  if (const char* env = std::getenv("RACEAUDIT_BENCH_INPUTS"); env && *env) {
    specs.clear();
    std::string s = env;
    size_t pos = 0;
    while (pos <= s.size()) {
      size_t end = s.find(':', pos);
      if (end == std::string::npos) end = s.size();
      const std::string item = s.substr(pos, end - pos);
      const size_t eq = item.find('=');
      if (eq != std::string::npos) specs.emplace_back(item.substr(0, eq), item.substr(eq + 1));
      pos = end + 1;
    }
  }
  inputs().reserve(specs.size());
  for (const auto& [name, path] : specs) {
    Input in;
    if (load(name, path, in)) inputs().push_back(std::move(in));
    else std::fprintf(stderr, "micro_bench: skipping %s (%s not found)\n", name.c_str(), path.c_str());
  }
  for (const Input& in : inputs()) {
    const Input* p = &in;
    benchmark::RegisterBenchmark(("Parse/" + in.name).c_str(), BM_Parse, p)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("LowerText/" + in.name).c_str(), BM_LowerText, p)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("LowerOnly/" + in.name).c_str(), BM_LowerOnly, p)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("Link/" + in.name).c_str(), BM_Link, p)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("Rules/" + in.name).c_str(), BM_Rules, p, nullptr)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("Analyze/" + in.name).c_str(), BM_Analyze, p)->Unit(benchmark::kMillisecond);
    for (const auto& r : all_rules())
      benchmark::RegisterBenchmark(("Rule/" + std::string(r->info().code) + "/" + in.name).c_str(), BM_Rules, p,
                                   r.get())
          ->Unit(benchmark::kMicrosecond);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
