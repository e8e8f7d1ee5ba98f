// `raceaudit facts FILE`: prints the facts lowering records for one file, one
// line each. A developer's tool for writing rules and fixtures.
#include <iostream>

#include "cli/commands.h"
#include "facts/places.h"
#include "models/container_ops.h"
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

const char* if_body_name(IfBody b) {
  switch (b) {
    case IfBody::StoreItem: return "store-item";
    case IfBody::DeleteItem: return "delete-item";
    case IfBody::PathCall: return "path-call";
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
    for (size_t i = 0; i < m.places.size(); ++i)
      std::cout << "place " << i << ' ' << root_name(m.places[i].root) << ' ' << place_text(m, static_cast<PlaceId>(i))
                << '\n';
    for (size_t i = 0; i < m.accesses.size(); ++i) {
      const Access& a = m.accesses[i];
      std::cout << "access " << i << ' ' << a.span.line << ':' << a.span.col << ' ' << kind_name(a.kind) << ' '
                << "place=" << a.place << " `" << a.text << "` scope=" << a.scope << " locks=" << a.lockset;
      if (a.op != Op::None) std::cout << " op=" << op_name(a.op);
      if (a.check != CheckKind::None) std::cout << " check=" << check_name(a.check);
      if (a.value_text) std::cout << " value=" << m.value_text(a);
      if (a.handled & HandledLookup) std::cout << " handles=lookup";
      if (a.handled & HandledRuntime) std::cout << " handles=runtime";
      std::cout << '\n';
    }
    for (const auto& g : m.guarded) std::cout << "guarded check=" << g.check << " act=" << g.act << '\n';
    for (const auto& r : m.ifs) {
      const Span& s = r.span;
      std::cout << "if act=" << r.act << ' ' << if_body_name(r.body) << (r.negated ? " negated" : "")
                << (r.pure ? " pure" : "") << " container=`" << m.texts[r.container] << "` key=`" << m.texts[r.key]
                << '`';
      if (r.value) std::cout << " value=`" << m.texts[r.value] << '`';
      if (r.callee) std::cout << " callee=`" << m.texts[r.callee] << '`';
      std::cout << " span=" << s.line << ':' << s.col << '-' << s.end_line << ':' << s.end_col
                << " test-end=" << r.test.end_line << ':' << r.test.end_col << " line-end=" << r.line_end.line << ':'
                << r.line_end.col << '\n';
    }
    for (const auto& h : m.helper_iterations)
      std::cout << "helper-iteration access=" << h.access << " callee=" << place_text(m, h.callee)
                << " arg=" << static_cast<int>(h.arg) << '\n';
    for (const auto& v : m.view_helpers)
      std::cout << "view-helper " << v.name << " param=" << static_cast<int>(v.param) << '\n';
    for (const auto& c : m.calls)
      std::cout << "call " << c.span.line << " callee=" << c.callee << ' ' << place_text(m, c.callee)
                << (c.thread_target ? " thread-target" : "") << (c.passed ? " passed" : "")
                << " locks=" << c.lockset << '\n';
    for (size_t i = 0; i < m.locksets.size(); ++i) {
      std::cout << "lockset " << i;
      for (PlaceId k : m.locksets[i]) std::cout << ' ' << place_text(m, k);
      std::cout << '\n';
    }
    for (const NameUse& u : m.names.uses) {
      static const char* const roles[] = {"load", "store", "declare"};
      std::cout << "name " << u.span.line << ':' << u.span.col << ' ' << m.names.globals[u.name] << ' '
                << roles[static_cast<int>(u.role)];
      if (u.value_kind != StoredValue::NotSimple)
        std::cout << " value=" << u.value.line << ':' << u.value.col << '-' << u.value.end_line << ':' << u.value.end_col;
      std::cout << '\n';
    }
    for (const auto& d : m.diagnostics) std::cout << "diagnostic " << d.span.line << ' ' << d.message << '\n';
    *exit_code = 0;
  });
}

}  // namespace raceaudit::cli
