#include "baseline/baseline.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "discover/exclude.h"
#include "util/json_file.h"
#include "util/source_text.h"

namespace raceaudit {
namespace {

constexpr int kFormatVersion = 1;

bool string_field(const nlohmann::json& e, const char* key, bool required, std::string& out, std::string& why) {
  const auto it = e.find(key);
  if (it == e.end()) {
    if (required) why = std::string("missing \"") + key + "\"";
    return !required;
  }
  if (!it->is_string()) {
    why = std::string("\"") + key + "\" must be a string";
    return false;
  }
  out = it->get<std::string>();
  return true;
}

}  // namespace

bool read_baseline(const std::string& path, Baseline& out, std::string& error) {
  std::string why;
  nlohmann::json j;
  if (!read_json_file(path, "baseline", "write it with --write-baseline", j, error)) return false;
  if (!j.is_object() || !j.contains("raceaudit_baseline") || !j.contains("findings") || !j["findings"].is_array()) {
    error = "baseline " + path + " is not a raceaudit baseline (expected {\"raceaudit_baseline\": 1, \"findings\": [...]})";
    return false;
  }
  if (!j["raceaudit_baseline"].is_number_integer() || j["raceaudit_baseline"].get<int>() != kFormatVersion) {
    std::string version = j["raceaudit_baseline"].dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (version.size() > 40) version = version.substr(0, 40) + "...";
    error = "baseline " + path + " has format version " + version + "; this raceaudit reads version " +
            std::to_string(kFormatVersion);
    return false;
  }
  out.entries.clear();
  size_t index = 0;
  for (const auto& e : j["findings"]) {
    BaselineEntry b;
    const bool ok = e.is_object() && string_field(e, "fingerprint", true, b.fingerprint, why) &&
                    string_field(e, "code", false, b.code, why) && string_field(e, "filename", false, b.filename, why) &&
                    string_field(e, "scope", false, b.scope, why) && string_field(e, "target", false, b.target, why) &&
                    string_field(e, "message", false, b.message, why);
    if (!ok) {
      error = "baseline " + path + ": findings[" + std::to_string(index) + "]: " +
              (e.is_object() ? why : std::string("expected an object"));
      return false;
    }
    out.entries.push_back(std::move(b));
    ++index;
  }
  return true;
}

Baseline make_baseline(const std::vector<Finding>& findings, const std::string& project_root) {
  Baseline b;
  for (const Finding& f : findings)
    b.entries.push_back({f.fingerprint, f.code, project_relative(f.path, project_root), f.scope, f.target, f.message});
  std::stable_sort(b.entries.begin(), b.entries.end(), [](const BaselineEntry& x, const BaselineEntry& y) {
    return std::tie(x.filename, x.scope, x.code, x.target, x.fingerprint) <
           std::tie(y.filename, y.scope, y.code, y.target, y.fingerprint);
  });
  return b;
}

std::string baseline_json(const Baseline& b) {
  nlohmann::ordered_json j;
  j["raceaudit_baseline"] = kFormatVersion;
  j["findings"] = nlohmann::ordered_json::array();
  for (const auto& e : b.entries)
    j["findings"].push_back({{"fingerprint", e.fingerprint}, {"code", e.code}, {"filename", e.filename},
                             {"scope", e.scope}, {"target", e.target}, {"message", e.message}});
  return j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + '\n';
}

bool write_baseline(const std::string& path, const Baseline& b, std::string& error) {
  const std::string text = baseline_json(b);
  auto fail = [&](const std::string& tmp) {
    error = "cannot write baseline " + path + ": " + std::strerror(errno);
    if (!tmp.empty()) ::unlink(tmp.c_str());
    return false;
  };
  // A new file of our own next to the baseline (mkstemp: a fresh name, O_EXCL,
  // so no link, FIFO or other writer's file is ever opened), written, synced,
  // then renamed over it: an interrupted run leaves the old baseline intact,
  // and concurrent writers each install a whole file.
  std::string tmp = path + ".tmp-XXXXXX";
  const int fd = ::mkostemp(tmp.data(), O_CLOEXEC);
  if (fd < 0) return fail("");
  // mkstemp creates 0600; a baseline is committed: the old file's mode, else 0666 minus the umask.
  struct stat old {};
  mode_t mode;
  if (::stat(path.c_str(), &old) == 0) {
    mode = old.st_mode & 07777;
  } else {
    const mode_t mask = ::umask(0);
    ::umask(mask);
    mode = 0666 & ~mask;
  }
  bool ok = ::fchmod(fd, mode) == 0;
  for (size_t done = 0; ok && done < text.size();) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<size_t>(n);
  }
  ok = ok && ::fsync(fd) == 0;
  const int saved = errno;
  if (::close(fd) != 0 && ok) return fail(tmp);
  errno = saved;
  if (!ok) return fail(tmp);
  if (std::rename(tmp.c_str(), path.c_str()) != 0) return fail(tmp);
  return true;
}

BaselineMatch apply_baseline(const Baseline& b, std::vector<Finding>& findings,
                             const std::function<bool(const BaselineEntry&)>& in_scope) {
  std::unordered_map<std::string, size_t> remaining;  // fingerprint -> unmatched entries
  for (const auto& e : b.entries) ++remaining[e.fingerprint];
  BaselineMatch m;
  std::vector<Finding> kept;
  kept.reserve(findings.size());
  for (Finding& f : findings) {
    auto it = remaining.find(f.fingerprint);
    if (it != remaining.end() && it->second > 0) {
      --it->second;
      ++m.matched;
    } else {
      kept.push_back(std::move(f));
    }
  }
  findings = std::move(kept);
  for (const auto& e : b.entries) {
    auto it = remaining.find(e.fingerprint);
    if (it->second == 0) continue;
    --it->second;
    if (in_scope(e)) m.stale.push_back(e);
  }
  return m;
}

}  // namespace raceaudit
