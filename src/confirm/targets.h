#pragma once
// What `raceaudit confirm` tries to confirm: pairs of sites, read from a
// scan's JSON (filtered by --finding) or given with --site/--partner.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace raceaudit::confirm {

struct SiteRef {
    std::string filename;  // as in the scan JSON (relative to the working directory)
    int row = 0;
    int end_row = 0;
    std::string qualname;  // enclosing scope when known ("Mount.refund")
};

struct Target {
    std::optional<std::string> fingerprint;  // null for --site/--partner
    std::string code;                        // "RA001", empty for --site
    std::string message;
    std::string receiver;  // root name of the shared location: "self", "counter", "USER_ID"
    SiteRef site;
    SiteRef partner;
    bool partner_is_check = false;  // related "checked here": hold at the site only
};

struct TargetsResult {
    std::vector<Target> targets;
    std::string error;  // one line
};

// Reads the scan JSON at `path` and keeps the findings whose fingerprint is
// in `fingerprints` (all when empty); each fingerprint must exist.
TargetsResult targets_from_scan(const std::string& path, const std::vector<std::string>& fingerprints);

// --site FILE:LINE --partner FILE:LINE; the files must exist and hold the lines.
TargetsResult targets_from_sites(const std::string& site, const std::string& partner);

// "self._mounts[k]" -> "self"; "" when the target has no root name.
std::string receiver_root(const std::string& target);

// The source line `row` (1-based) of `filename`, stripped; empty when absent.
std::string source_line(const std::string& filename, int row);

// The probe's JSON form of the pair {"name", "site", "partner", "hold"}.
nlohmann::json pair_spec(const Target& target);

// The probe's JSON form of a site (file absolute, line, receiver, method).
nlohmann::json site_spec(const SiteRef& site, const std::string& receiver);

}  // namespace raceaudit::confirm
