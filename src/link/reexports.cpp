// Linking: names a module re-exports (a package's __init__ importing what its
// submodules define, `from x import *`), followed to the module defining them.
#include <set>

#include "link/project.h"

namespace raceaudit {

namespace {

// `from m import *` binds only public names (or those in __all__, which
// lowering does not read).
bool star_imported(const std::string& name) { return !name.empty() && name[0] != '_'; }

// Modules looked at for one name at most (a package whose __init__ star-
// imports many modules that star-import more).
constexpr size_t kMaxReexportVisits = 64;

}  // namespace

int32_t Project::exported(uint32_t mod, const std::string& name, const ExportLookup& find) const {
  struct Step {
    uint32_t mod;
    std::string name;
    int hops;
  };
  std::vector<Step> work{{mod, name, 0}};
  std::set<std::pair<uint32_t, std::string>> seen;  // import cycles end here
  while (!work.empty() && seen.size() < kMaxReexportVisits) {
    Step s = std::move(work.back());
    work.pop_back();
    if (!seen.insert({s.mod, s.name}).second) continue;
    if (const int32_t r = find(s.mod, s.name); r >= 0) return r;
    if (s.hops >= kMaxReexportHops) continue;
    // Pushed last, popped first: an explicit import, then the star imports in order.
    if (star_imported(s.name))
      for (auto it = star_imports_[s.mod].rbegin(); it != star_imports_[s.mod].rend(); ++it)
        if (const int32_t t = find_module(*it); t >= 0) work.push_back({static_cast<uint32_t>(t), s.name, s.hops + 1});
    auto imp = module_imports_[s.mod].find(s.name);
    if (imp != module_imports_[s.mod].end() && !imp->second->name.empty())
      if (const int32_t t = find_module(imp->second->module); t >= 0)
        work.push_back({static_cast<uint32_t>(t), imp->second->name, s.hops + 1});
  }
  return -1;
}

}  // namespace raceaudit
