// How a fuzz input (one byte string) becomes a small project of Python files.
// Shared by the libFuzzer target (fuzz/scan_fuzzer.cpp) and the regression
// test that replays saved inputs through the binary
// (tests/e2e/fuzz_regression_test.cpp), so both see the same files.
//
// Format: the input is one file, `m0.py`, unless it contains lines that start
// with `#@file `: each such line starts a new file whose relative path is the
// rest of the line (`#@file pkg/store.py`). Paths are sanitized (letters,
// digits, `_`, `/`, `.`; no empty, `.` or `..` components; `.py` appended when
// missing); a bad or repeated path becomes `m<i>.py`. At most kMaxFiles files;
// later separators stay in the text of the last file.
// Header-only and free of raceaudit dependencies on purpose.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace raceaudit::fuzz {

inline constexpr std::string_view kFileSeparator = "#@file ";
inline constexpr size_t kMaxFiles = 8;

struct FuzzFile {
  std::string path;         // relative, ends in .py
  std::string module_name;  // dotted; "pkg" for pkg/__init__.py
  bool is_package = false;
  std::string bytes;        // raw, undecoded
};

inline std::string sanitize_path(std::string_view p, size_t index) {
  const std::string fallback = "m" + std::to_string(index) + ".py";
  while (!p.empty() && (p.back() == '\r' || p.back() == ' ' || p.back() == '\t')) p.remove_suffix(1);
  if (p.empty() || p.size() > 64 || p.front() == '/' || p.back() == '/') return fallback;
  size_t start = 0;
  while (start <= p.size()) {
    const size_t slash = p.find('/', start);
    const std::string_view part = p.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (part.empty() || part == "." || part == "..") return fallback;
    for (char c : part) {
      const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
      if (!ok) return fallback;
    }
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  std::string out(p);
  if (out.size() < 3 || out.compare(out.size() - 3, 3, ".py") != 0) out += ".py";
  return out;
}

inline void name_module(FuzzFile& f) {
  std::string m = f.path.substr(0, f.path.size() - 3);
  for (char& c : m)
    if (c == '/') c = '.';
  const std::string init = "__init__";
  if (m == init) {
    m.clear();
    f.is_package = true;
  } else if (m.size() > init.size() + 1 && m.compare(m.size() - init.size() - 1, init.size() + 1, "." + init) == 0) {
    m.resize(m.size() - init.size() - 1);
    f.is_package = true;
  }
  f.module_name = m;
}

inline std::vector<FuzzFile> split_fuzz_input(std::string_view data) {
  std::vector<FuzzFile> files;
  files.push_back(FuzzFile{"m0.py", "", false, {}});
  size_t pos = 0;
  for (;;) {
    // Next separator at the start of a line.
    size_t sep = std::string_view::npos;
    if (files.size() < kMaxFiles) {
      for (size_t at = pos; at < data.size(); ++at) {
        at = data.find(kFileSeparator, at);
        if (at == std::string_view::npos) break;
        if (at == 0 || data[at - 1] == '\n') {
          sep = at;
          break;
        }
      }
    }
    if (sep == std::string_view::npos) {
      files.back().bytes.append(data.substr(pos));
      break;
    }
    files.back().bytes.append(data.substr(pos, sep - pos));
    const size_t name_start = sep + kFileSeparator.size();
    size_t eol = data.find('\n', name_start);
    const std::string_view name = data.substr(name_start, eol == std::string_view::npos ? std::string_view::npos : eol - name_start);
    std::string path = sanitize_path(name, files.size());
    for (const auto& f : files)
      if (f.path == path) path = "m" + std::to_string(files.size()) + ".py";
    files.push_back(FuzzFile{path, "", false, {}});
    if (eol == std::string_view::npos) break;
    pos = eol + 1;
  }
  for (auto& f : files) name_module(f);
  // A directory may not also be a file: `a.py` next to `a.py/b.py` cannot be
  // written to disk. Rename the later one.
  for (size_t i = 0; i < files.size(); ++i)
    for (size_t j = 0; j < files.size(); ++j)
      if (i != j && files[j].path.size() > files[i].path.size() &&
          files[j].path.compare(0, files[i].path.size() + 1, files[i].path + "/") == 0) {
        files[j].path = "m" + std::to_string(j) + "x.py";
        name_module(files[j]);
      }
  return files;
}

}  // namespace raceaudit::fuzz
