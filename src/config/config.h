// raceaudit's configuration: `[tool.raceaudit]` in pyproject.toml, or the same
// keys at the top level of a raceaudit.toml. See docs/report-formats.md and
// README "Configuration". Finding and parsing is config_file.cpp; merging with
// the command line into ScanOptions is config_apply.cpp.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "scan/scan.h"

namespace raceaudit {

struct Config {
  std::string path;  // the file it came from, as shown in messages; "" when there is none
  std::string dir;   // that file's directory, absolute: what exclude and per-file-ignores are relative to
  std::optional<std::vector<std::string>> select, ignore, exclude;
  std::vector<std::string> extend_select, extend_exclude;
  std::vector<std::pair<std::string, std::vector<std::string>>> per_file_ignores;  // glob -> codes
  std::optional<Confidence> min_confidence;
  std::optional<std::string> output_format;   // "output-format": text, json, sarif, github, markdown
  std::optional<bool> respect_gitignore, force_exclude;
  std::vector<std::string> lock_factories;    // -> LinkOptions::extra_lock_factories
  std::vector<std::string> init_methods;      // -> LowerOptions::extra_init_methods
  std::vector<std::string> shared_classes;    // -> LinkOptions::shared_classes
  std::vector<std::string> confined_classes;  // -> LinkOptions::confined_classes ("thread-confined-classes")
};

// Looks for the configuration of a scan of `start` (a file or directory):
// in that directory and each one above it, `raceaudit.toml`, `.raceaudit.toml`,
// then a `pyproject.toml` that has a [tool.raceaudit] table; the first found
// wins. No file found is no error (out.path stays ""). Returns false with a
// one-line `error` when the file found cannot be read or is invalid.
bool discover_config(const std::string& start, Config& out, std::string& error);

// Loads the file given with --config: a pyproject.toml (its [tool.raceaudit]
// table) or any other TOML file with the keys at the top level.
bool load_config(const std::string& path, Config& out, std::string& error);

// Parses configuration text. `display` names the file in error messages;
// `in_pyproject` selects the [tool.raceaudit] table. Sets `found` to whether
// the text holds raceaudit configuration at all.
bool parse_config(std::string_view text, const std::string& display, bool in_pyproject, Config& out,
                  bool& found, std::string& error);

// What the command line said; an unset optional means "not given".
struct CommandLineSelection {
  std::optional<std::vector<std::string>> select, ignore, exclude;
  std::vector<std::string> extend_select, extend_exclude;
  std::optional<Confidence> min_confidence;
};

// Fills the selection, exclusion, confidence and analysis options of `o`.
// Rules are selected in two layers, the file's then the command line's: a
// layer's select starts over, extend-select adds, ignore removes. A
// command-line exclude or min-confidence replaces the file's; extend-exclude
// adds to both. Without either exclude, `build` and `dist` are excluded (as in
// ruff). The file's patterns are relative to its directory, the command
// line's to the working directory.
void apply_config(const Config& c, const CommandLineSelection& cli, ScanOptions& o);

}  // namespace raceaudit
