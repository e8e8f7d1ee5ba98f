// The small trackers lowering is built from: lock regions and the check
// stack, tested without a syntax tree; and the places printer.
#include <gtest/gtest.h>

#include "facts/check_stack.h"
#include "facts/lock_regions.h"
#include "facts/places.h"

namespace raceaudit::lowering {
namespace {

TEST(LockRegions, InternsEachSetOnceWhateverTheOrder) {
  std::vector<std::vector<PlaceId>> sets;
  LockRegions r(sets);
  EXPECT_EQ(r.current(), 0u) << "nothing held is the empty set";
  r.hold(7);
  r.hold(3);
  const uint32_t both = r.current();
  EXPECT_EQ(sets[both], (std::vector<PlaceId>{3, 7}));
  r.restore({});
  r.hold(3);
  r.hold(7);
  r.hold(3);  // re-entrant: still the set {3, 7}
  EXPECT_EQ(r.current(), both);
  EXPECT_EQ(sets.size(), 2u);
}

TEST(LockRegions, ReleaseDropsTheInnermostHoldOnly) {
  std::vector<std::vector<PlaceId>> sets;
  LockRegions r(sets);
  r.hold(1);
  r.hold(2);
  r.hold(1);
  r.release(1);
  EXPECT_EQ(r.held(), (std::vector<PlaceId>{1, 2}));
  r.release(9);  // not held: nothing changes
  EXPECT_EQ(r.held(), (std::vector<PlaceId>{1, 2}));
}

TEST(LockRegions, SavedRestoresWhatWasHeld) {
  std::vector<std::vector<PlaceId>> sets;
  LockRegions r(sets);
  r.hold(1);
  {
    const LockRegions::Saved saved(r);
    r.hold(2);
    r.release(1);
    EXPECT_EQ(r.held(), (std::vector<PlaceId>{2}));
  }
  EXPECT_EQ(r.held(), (std::vector<PlaceId>{1}));
  EXPECT_EQ(sets[r.current()], (std::vector<PlaceId>{1}));
}

TEST(CheckStack, IndexesByPlaceAndPopsBack) {
  CheckStack s;
  EXPECT_EQ(s.checks_of(4), nullptr);
  s.push({4, 10});
  s.push({5, 11});
  s.push({4, 12});
  ASSERT_NE(s.checks_of(4), nullptr);
  EXPECT_EQ(*s.checks_of(4), (std::vector<uint32_t>{10, 12}));
  s.pop_to(1);
  EXPECT_EQ(*s.checks_of(4), (std::vector<uint32_t>{10}));
  EXPECT_EQ(s.checks_of(5), nullptr);
  s.pop_to(0);
  EXPECT_TRUE(s.empty());
  EXPECT_EQ(s.checks_of(4), nullptr);
}

TEST(CheckStack, CapsThePairsOfOnePlace) {
  CheckStack s;
  for (uint32_t i = 0; i < 20; ++i) s.push({1, i});
  EXPECT_EQ(s.size(), 20u);
  EXPECT_EQ(s.checks_of(1)->size(), CheckStack::kMaxPerPlace);
  s.pop_to(3);
  EXPECT_EQ(*s.checks_of(1), (std::vector<uint32_t>{0, 1, 2}));
}

TEST(Places, ElementsAndReturnedValuesPrintThroughTheirBase) {
  ModuleFacts m;
  m.places.push_back(Place{Root::Self, "self", "entries", kNoPlace});  // 0
  m.places.push_back(Place{Root::Element, "", "lock", 0});             // 1
  m.places.push_back(Place{Root::Self, "self", "lookup", kNoPlace});   // 2
  m.places.push_back(Place{Root::Returned, "", "size", 2});            // 3
  m.places.push_back(Place{Root::Cls, "C", "registry", kNoPlace});     // 4
  EXPECT_EQ(place_text(m, 0), "self.entries");
  EXPECT_EQ(place_text(m, 1), "self.entries[].lock");
  EXPECT_EQ(place_text(m, 3), "self.lookup().size");
  EXPECT_EQ(place_text(m, 4), "cls.registry");
  EXPECT_EQ(place_text(m, 9), "?");
}

}  // namespace
}  // namespace raceaudit::lowering
