#include "facts/places.h"

namespace raceaudit {
namespace {

void append_place(const ModuleFacts& facts, PlaceId id, std::string& out, unsigned depth) {
  if (id >= facts.places.size() || depth > 32) {
    out += "?";
    return;
  }
  const Place& p = facts.places[id];
  switch (p.root) {
    case Root::Element:
      append_place(facts, p.base, out, depth + 1);
      out += "[]";
      break;
    case Root::Returned:
      append_place(facts, p.base, out, depth + 1);
      out += "()";
      break;
    case Root::Cls:
      out += p.path.empty() ? p.root_name : "cls";
      break;
    case Root::LockHelper:
      out += "<lock helper>";
      break;
    default:
      out += p.root_name;
      break;
  }
  if (!p.path.empty() && !(p.root == Root::Cls && p.path.empty())) {
    if (p.root != Root::LockHelper || !out.empty()) out += '.';
    out += p.path;
  }
}

}  // namespace

std::string place_text(const ModuleFacts& facts, PlaceId place) {
  std::string out;
  append_place(facts, place, out, 0);
  return out;
}

const char* root_name(Root root) {
  switch (root) {
    case Root::Self: return "self";
    case Root::Cls: return "cls";
    case Root::Global: return "global";
    case Root::Param: return "param";
    case Root::Element: return "element";
    case Root::Path: return "path";
    case Root::Returned: return "returned";
    case Root::LockHelper: return "lock-helper";
  }
  return "?";
}

}  // namespace raceaudit
