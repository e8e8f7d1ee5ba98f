// Snapshots of `raceaudit facts` for chosen fixtures: what lowering records
// (scopes, places, accesses with their op/check, guarded pairs, calls,
// locksets), read by hand once when written (tests/snapshots/README.md) and
// diffed from then on, so a change to lowering shows up as a reviewable diff.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "e2e/run_binary.h"

namespace raceaudit::testing {
namespace {
namespace fs = std::filesystem;

const fs::path kSnapshots = fs::path(RACEAUDIT_SOURCE_DIR) / "tests" / "snapshots" / "facts";

std::vector<fs::path> snapshots() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(kSnapshots))
    if (e.path().extension() == ".txt") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

// RA001_negative_element_lock.txt -> tests/fixtures/RA001/negative_element_lock.py
std::string fixture_of(const fs::path& snapshot) {
  const std::string stem = snapshot.stem().string();
  const size_t cut = stem.find('_');
  return "tests/fixtures/" + stem.substr(0, cut) + "/" + stem.substr(cut + 1) + ".py";
}

TEST(FactsSnapshots, ThereAreSome) { EXPECT_GE(snapshots().size(), 5u); }

TEST(FactsSnapshots, LoweringStillRecordsWhatEachSnapshotSays) {
  for (const fs::path& snap : snapshots()) {
    const std::string fixture = fixture_of(snap);
    ASSERT_TRUE(fs::exists(fs::path(RACEAUDIT_SOURCE_DIR) / fixture)) << fixture;
    std::ifstream in(snap);
    std::stringstream want;
    want << in.rdbuf();
    const RunResult r = run_raceaudit({"facts", fixture});
    EXPECT_EQ(r.exit_code, 0) << fixture << ": " << r.err;
    EXPECT_EQ(r.out, want.str()) << "facts of " << fixture << " differ from " << snap.filename()
                                 << " (scripts/update-facts-snapshots.sh rewrites them; read the diff)";
  }
}

}  // namespace
}  // namespace raceaudit::testing
