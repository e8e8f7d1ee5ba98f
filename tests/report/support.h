// Helpers for the report, baseline, configuration and suppression tests
// (tests/e2e/{report,sarif,json,golden,suppression,baseline,config,statistics}_test.cpp).
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

namespace raceaudit::testing {

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

struct ShellResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

inline ShellResult run_shell(const std::string& command);

// `git init` of `dir`: a git work tree (a project root, .gitignore rules).
inline ShellResult git_init(const std::string& dir) { return run_shell("git init -q " + shell_quote(dir) + " 2>&1"); }

inline ShellResult run_shell(const std::string& command) {
  ShellResult r;
  FILE* p = popen((command + " 2>&1").c_str(), "r");
  if (!p) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.output.append(buf, n);
  const int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

// A Python interpreter that can `import jsonschema` (python3-jsonschema), or "".
inline std::string python_with_jsonschema() {
  for (const char* candidate : {"python3", "/usr/bin/python3"})
    if (run_shell(std::string(candidate) + " -c 'import jsonschema'").exit_code == 0) return candidate;
  return {};
}

// Validates the JSON document in `document_path` against the schema in
// `schema_path`; returns "" when valid, else the validator's complaints.
inline std::string validate_with_jsonschema(const std::string& python, const std::string& schema_path,
                                            const std::string& document_path) {
  const std::string script =
      "import json, sys, jsonschema\n"
      "schema = json.load(open(sys.argv[1]))\n"
      "doc = json.load(open(sys.argv[2]))\n"
      "cls = jsonschema.validators.validator_for(schema)\n"
      "cls.check_schema(schema)\n"
      "errors = list(cls(schema, format_checker=jsonschema.FormatChecker()).iter_errors(doc))\n"
      "for e in errors[:10]: print('/'.join(map(str, e.absolute_path)) + ': ' + e.message)\n"
      "sys.exit(1 if errors else 0)\n";
  const ShellResult r = run_shell(python + " -c " + shell_quote(script) + ' ' + shell_quote(schema_path) + ' ' +
                                  shell_quote(document_path));
  return r.exit_code == 0 ? std::string() : "exit " + std::to_string(r.exit_code) + ": " + r.output;
}

inline nlohmann::json parse_json(const std::string& text) { return nlohmann::json::parse(text, nullptr, false); }

}  // namespace raceaudit::testing
