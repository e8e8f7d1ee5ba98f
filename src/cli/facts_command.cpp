// `raceaudit facts FILE`: prints the facts lowering records for one file, one
// line each. A developer's tool for writing rules and fixtures.
#include <iostream>

#include "cli/commands.h"
#include "scan/scan.h"
#include "util/source_text.h"

namespace raceaudit::cli {
namespace {

const char* kind_name(AccessKind k) {
  switch (k) {
    case AccessKind::Read: return "read";
    case AccessKind::Write: return "write";
    case AccessKind::ReadModifyWrite: return "rmw";
    case AccessKind::Mutate: return "mutate";
    case AccessKind::Iterate: return "iterate";
    case AccessKind::Check: return "check";
  }
  return "?";
}

const char* root_name(Root r) {
  switch (r) {
    case Root::Self: return "self";
    case Root::Cls: return "cls";
    case Root::Global: return "global";
    case Root::Param: return "param";
    case Root::Element: return "element";
    case Root::Path: return "path";
    case Root::Returned: return "returned";
  }
  return "?";
}

}  // namespace

void add_facts_command(CLI::App& app, int* exit_code) {
  auto* cmd = app.add_subcommand("facts", "Print the facts recorded for a Python file (for rule authors)");
  auto path = std::make_shared<std::string>();
  cmd->add_option("file", *path, "Python file")->required();
  cmd->callback([path, exit_code] {
    std::string bytes, error;
    if (!read_file(*path, bytes, error)) {
      print_error("cannot read " + *path + ": " + error);
      *exit_code = 2;
      return;
    }
    const SourceText src = decode_source(std::move(bytes));
    const ModuleFacts m = lower_text(src.text, *path, "", {});
    for (size_t i = 0; i < m.scopes.size(); ++i)
      std::cout << "scope " << i << ' ' << (m.scopes[i].qualname.empty() ? "<module>" : m.scopes[i].qualname)
                << (m.scopes[i].is_init ? " init" : "") << '\n';
    for (size_t i = 0; i < m.accesses.size(); ++i) {
      const Access& a = m.accesses[i];
      std::cout << "access " << i << ' ' << a.span.line << ':' << a.span.col << ' ' << kind_name(a.kind) << ' '
                << root_name(a.root) << ':' << a.root_name << ':' << a.path << " `" << a.text << "` scope=" << a.scope
                << " locks=" << a.lockset << (a.detail.empty() ? "" : " detail=" + a.detail) << '\n';
    }
    for (const auto& g : m.guarded) std::cout << "guarded check=" << g.check << " act=" << g.act << '\n';
    for (const auto& c : m.calls)
      std::cout << "call " << c.span.line << ' ' << root_name(c.root) << ':' << c.root_name << ':' << c.path
                << (c.thread_target ? " thread-target" : "") << " locks=" << c.lockset << '\n';
    for (size_t i = 0; i < m.locksets.size(); ++i) {
      std::cout << "lockset " << i;
      for (const auto& k : m.locksets[i]) std::cout << ' ' << k.substr(1);
      std::cout << '\n';
    }
    for (const auto& d : m.diagnostics) std::cout << "diagnostic " << d.span.line << ' ' << d.message << '\n';
    *exit_code = 0;
  });
}

}  // namespace raceaudit::cli
