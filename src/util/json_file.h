// Reads a JSON document that a user hands the tool (a baseline, a confirm
// report): size-limited, depth-checked before the document is built, with
// one-line errors that name the file and what the file should be.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace raceaudit {

// Deepest nesting accepted: nlohmann-json parses any depth, but dump() and
// the destructor recurse.
inline constexpr size_t kMaxJsonDepth = 64;

// Reads `path` into `out`. `what` names the document in errors ("baseline",
// "evidence file") and `hint` says how to make a good one ("write it with
// --write-baseline"). Returns false and sets `error` to one line.
bool read_json_file(const std::string& path, const std::string& what, const std::string& hint, nlohmann::json& out,
                    std::string& error);

}  // namespace raceaudit
