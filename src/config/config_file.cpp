// Finds and parses raceaudit's configuration (toml++). Every problem becomes
// one line naming the file, the key and what was expected.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <toml++/toml.h>

#include "config/config.h"
#include "rules/rule.h"
#include "util/source_text.h"

namespace raceaudit {
namespace {

namespace fs = std::filesystem;

const char* const kKeys[] = {"select",          "ignore",         "extend-select",  "exclude",
                             "extend-exclude",  "per-file-ignores", "min-confidence", "lock-factories",
                             "init-methods",    "shared-classes", "thread-confined-classes", "output-format",
                             "respect-gitignore", "force-exclude"};

// A user's string in a message: quoted, with quotes, backslashes and control
// characters escaped so that the message stays on one line.
std::string quote_text(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      static const char hex[] = "0123456789abcdef";
      out += "\\x";
      out += hex[(c >> 4) & 15];
      out += hex[c & 15];
    } else {
      out += c;
    }
  }
  return out + '"';
}

std::string type_name(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "a list";
    case toml::node_type::string: return "the string " + quote_text(n.as_string()->get());
    case toml::node_type::integer: return "the integer " + std::to_string(n.as_integer()->get());
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return n.as_boolean()->get() ? "true" : "false";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    default: return "nothing";
  }
}

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] != b[j - 1])});
      diag = up;
    }
  }
  return row[b.size()];
}

bool valid_selector(const std::string& s) {
  if (s == "ALL") return true;
  for (const auto& r : all_rules())
    if (code_matches(std::string(r->info().code), s)) return true;
  return false;
}

bool dotted_name(const std::string& s) {
  if (s.empty() || s.front() == '.' || s.back() == '.') return false;
  char prev = '.';
  for (char c : s) {
    const bool word = std::isalnum(static_cast<unsigned char>(c)) || c == '_' || static_cast<unsigned char>(c) >= 0x80;
    if (c == '.' ? prev == '.' : !word || (prev == '.' && std::isdigit(static_cast<unsigned char>(c)))) return false;
    prev = c;
  }
  return true;
}

enum class Items { Strings, Selectors, DottedNames };

// Parses the keys of one raceaudit table; `where` is "pyproject.toml: [tool.raceaudit] ".
class TableReader {
 public:
  TableReader(std::string where, Config& out, std::string& error) : where_(std::move(where)), out_(out), error_(error) {}

  bool read(const toml::table& t) {
    for (const auto& [key, node] : t) {
      const std::string k(key.str());
      bool ok = true;
      if (k == "select") ok = list(k, node, Items::Selectors, out_.select.emplace());
      else if (k == "ignore") ok = list(k, node, Items::Selectors, out_.ignore.emplace());
      else if (k == "extend-select") ok = list(k, node, Items::Selectors, out_.extend_select);
      else if (k == "exclude") ok = list(k, node, Items::Strings, out_.exclude.emplace());
      else if (k == "extend-exclude") ok = list(k, node, Items::Strings, out_.extend_exclude);
      else if (k == "per-file-ignores") ok = per_file_ignores(node);
      else if (k == "min-confidence") ok = min_confidence(node);
      else if (k == "lock-factories") ok = list(k, node, Items::DottedNames, out_.lock_factories);
      else if (k == "init-methods") ok = list(k, node, Items::DottedNames, out_.init_methods);
      else if (k == "shared-classes") ok = list(k, node, Items::DottedNames, out_.shared_classes);
      else if (k == "thread-confined-classes") ok = list(k, node, Items::DottedNames, out_.confined_classes);
      else if (k == "output-format") ok = output_format(node);
      else if (k == "respect-gitignore") ok = boolean(k, node, out_.respect_gitignore);
      else if (k == "force-exclude") ok = boolean(k, node, out_.force_exclude);
      else ok = unknown(k);
      if (!ok) return false;
    }
    return true;
  }

 private:
  std::string where_;
  Config& out_;
  std::string& error_;

  bool fail(const std::string& key, const std::string& what) {
    error_ = where_ + key + ": " + what;
    return false;
  }

  bool unknown(const std::string& key) {
    std::string best;
    size_t best_distance = 3;
    for (const char* known : kKeys) {
      const size_t d = edit_distance(key, known);
      if (d < best_distance) best_distance = d, best = known;
    }
    std::string what = "unknown key " + quote_text(key);
    if (!best.empty()) {
      what += " (did you mean \"" + best + "\"?)";
    } else {
      what += "; expected one of";
      for (const char* known : kKeys) what += std::string(" ") + known + (known == kKeys[std::size(kKeys) - 1] ? "" : ",");
    }
    error_ = where_ + what;
    return false;
  }

  bool list(const std::string& key, const toml::node& node, Items items, std::vector<std::string>& out) {
    const char* expected = items == Items::Selectors     ? "a list of rule codes"
                           : items == Items::DottedNames ? "a list of dotted names"
                                                         : "a list of strings";
    const toml::array* a = node.as_array();
    if (!a) {
      std::string what = std::string("expected ") + expected + ", got " + type_name(node);
      if (node.is_string()) what += " (write " + key + " = [" + quote_text(node.as_string()->get()) + "])";
      return fail(key, what);
    }
    out.clear();
    for (size_t i = 0; i < a->size(); ++i) {
      const toml::node& item = *a->get(i);
      if (!item.is_string())
        return fail(key, std::string("expected ") + expected + ", got " + type_name(item) + " at position " +
                             std::to_string(i + 1));
      const std::string s(item.as_string()->get());
      if (items == Items::Selectors && !valid_selector(s))
        return fail(key, "unknown rule code " + quote_text(s) + "; `raceaudit rule` lists the rules");
      if (items == Items::DottedNames && !dotted_name(s))
        return fail(key, "expected a dotted name like \"mylib.SpinLock\", got " + quote_text(s));
      out.push_back(s);
    }
    return true;
  }

  bool per_file_ignores(const toml::node& node) {
    const toml::table* t = node.as_table();
    if (!t) return fail("per-file-ignores", "expected a table of \"glob\" = [rule codes], got " + type_name(node));
    out_.per_file_ignores.clear();
    for (const auto& [glob, codes] : *t) {
      std::vector<std::string> list_out;
      if (!list("per-file-ignores." + quote_text(glob.str()), codes, Items::Selectors, list_out))
        return false;
      out_.per_file_ignores.emplace_back(std::string(glob.str()), std::move(list_out));
    }
    return true;
  }

  bool output_format(const toml::node& node) {
    static const char* const names[] = {"text", "json", "sarif", "github", "markdown"};
    if (node.is_string())
      for (const char* n : names)
        if (node.as_string()->get() == n) {
          out_.output_format = n;
          return true;
        }
    return fail("output-format", "expected one of text, json, sarif, github, markdown, got " +
                                     (node.is_string() ? quote_text(node.as_string()->get()) : type_name(node)));
  }

  bool boolean(const std::string& key, const toml::node& node, std::optional<bool>& out) {
    if (!node.is_boolean()) return fail(key, "expected true or false, got " + type_name(node));
    out = node.as_boolean()->get();
    return true;
  }

  bool min_confidence(const toml::node& node) {
    Confidence c;
    if (!node.is_string() || !parse_confidence(std::string(node.as_string()->get()), c))
      return fail("min-confidence", "expected one of low, medium, high, got " +
                                        (node.is_string() ? quote_text(node.as_string()->get())
                                                          : type_name(node)));
    out_.min_confidence = c;
    return true;
  }
};

// How a path is shown in messages: relative to the working directory when it
// is below it, else absolute.
std::string display_path(const fs::path& p) {
  std::error_code ec;
  const fs::path cwd = fs::current_path(ec);
  if (!ec) {
    const fs::path rel = p.lexically_relative(cwd);
    if (!rel.empty() && *rel.begin() != "..") return rel.string();
  }
  return p.string();
}

bool load_file(const fs::path& file, const std::string& display, bool in_pyproject, Config& out, bool& found,
               std::string& error) {
  std::string bytes, why;
  if (!read_file(file.string(), bytes, why)) {
    error = "cannot read config file " + display + ": " + why;
    return false;
  }
  return parse_config(decode_source(std::move(bytes)).text, display, in_pyproject, out, found, error);
}

// The first line on which TOML text nests deeper than `limit`: brackets and
// braces open at once, or dotted key parts on one line (`[a.a.a...]`), outside
// strings and comments; 0 when there is none. toml++ recurses on both, so
// they are bounded before the text reaches it.
unsigned too_deep_line(std::string_view t, unsigned limit) {
  unsigned line = 1, open = 0, dots = 0;
  for (size_t i = 0; i < t.size(); ++i) {
    const char c = t[i];
    if (c == '\n') {
      ++line;
      dots = 0;
    } else if (c == '#') {
      while (i + 1 < t.size() && t[i + 1] != '\n') ++i;
    } else if (c == '"' || c == '\'') {
      const bool multi = t.compare(i, 3, std::string(3, c)) == 0;
      const std::string_view close = multi ? std::string_view(c == '"' ? "\"\"\"" : "'''") : t.substr(i, 1);
      for (i += multi ? 3 : 1; i < t.size(); ++i) {
        if (c == '"' && t[i] == '\\') {
          ++i;
          continue;
        }
        if (t[i] == '\n') {
          if (!multi) break;  // an unterminated string: toml++ reports it
          ++line;
        }
        if (t.compare(i, close.size(), close) == 0) {
          i += close.size() - 1;
          break;
        }
      }
    } else if (c == '[' || c == '{') {
      if (++open > limit) return line;
    } else if (c == ']' || c == '}') {
      if (open) --open;
    } else if (c == '.') {
      if (++dots > limit) return line;
    }
  }
  return 0;
}

constexpr unsigned kMaxTomlDepth = 100;

}  // namespace

bool parse_config(std::string_view text, const std::string& display, bool in_pyproject, Config& out, bool& found,
                  std::string& error) {
  found = false;
  if (const unsigned line = too_deep_line(text, kMaxTomlDepth)) {
    error = display + ':' + std::to_string(line) + ": TOML nested deeper than " + std::to_string(kMaxTomlDepth) +
            " levels (brackets, braces or dotted key parts); not read";
    return false;
  }
  toml::table root;
  try {
    root = toml::parse(text, display);
  } catch (const toml::parse_error& e) {
    std::string what(e.description());
    for (char& c : what)
      if (c == '\n' || c == '\r') c = ' ';  // one line, whatever the parser says
    error = display + ':' + std::to_string(e.source().begin.line) + ':' + std::to_string(e.source().begin.column) +
            ": TOML syntax error: " + what;
    return false;
  }
  Config c;
  c.path = display;
  const toml::table* table = &root;
  std::string where = display + ": ";
  if (in_pyproject) {
    const toml::node* tool = root.get("tool");
    const toml::node* node = tool && tool->is_table() ? tool->as_table()->get("raceaudit") : nullptr;
    if (!node) return true;
    where += "[tool.raceaudit] ";
    if (!node->is_table()) {
      error = display + ": [tool.raceaudit]: expected a table, got " + type_name(*node);
      return false;
    }
    table = node->as_table();
  }
  if (!TableReader(where, c, error).read(*table)) return false;
  found = true;
  out = std::move(c);
  return true;
}

bool load_config(const std::string& path, Config& out, std::string& error) {
  std::error_code ec;
  const bool pyproject = fs::path(path).filename() == "pyproject.toml";
  bool found = false;
  if (!load_file(path, path, pyproject, out, found, error)) return false;
  out.path = path;
  out.dir = fs::absolute(path, ec).lexically_normal().parent_path().string();
  return true;
}

bool discover_config(const std::string& start, Config& out, std::string& error) {
  std::error_code ec;
  fs::path dir = fs::absolute(start.empty() ? "." : start, ec).lexically_normal();
  if (ec) return true;
  if (dir.has_parent_path() && dir.filename().empty()) dir = dir.parent_path();  // "pkg/" -> "pkg"
  if (!fs::is_directory(dir, ec)) dir = dir.parent_path();
  for (int depth = 0; depth < 256 && !dir.empty(); ++depth) {
    for (const char* name : {"raceaudit.toml", ".raceaudit.toml", "pyproject.toml"}) {
      const fs::path file = dir / name;
      if (!fs::exists(file, ec)) continue;
      const bool pyproject = std::string_view(name) == "pyproject.toml";
      bool found = false;
      if (!load_file(file, display_path(file), pyproject, out, found, error)) return false;
      if (found || !pyproject) {
        out.path = display_path(file);
        out.dir = dir.string();
        return true;
      }
    }
    if (dir == dir.root_path()) break;
    dir = dir.parent_path();
  }
  return true;
}

}  // namespace raceaudit
