// Linking: receivers through types, properties, bases, helpers under a caller's
// lock or only from __init__, thread-locals, confidence.
#include <gtest/gtest.h>

#include "analysis/confidence.h"

#include "scan/scan.h"

namespace raceaudit {
namespace {

Project link(std::vector<std::pair<std::string, std::string>> files, LinkOptions o = {}) {
  std::vector<ModuleFacts> mods;
  for (auto& [name, src] : files) mods.push_back(lower_text(src, name + ".py", name, {}));
  return Project(std::move(mods), o);
}

std::string location_of_text(const Project& p, const std::string& text, AccessKind k) {
  for (uint32_t m = 0; m < p.modules().size(); ++m)
    for (uint32_t i = 0; i < p.module(m).accesses.size(); ++i) {
      const auto& a = p.module(m).accesses[i];
      if (a.text == text && a.kind == k) {
        const int32_t l = p.location_of({m, i});
        return l < 0 ? "<not shared>" : p.locations()[static_cast<size_t>(l)].display;
      }
    }
  return "<no access>";
}

AccessRef ref(const Project& p, const std::string& text, AccessKind k) {
  for (uint32_t m = 0; m < p.modules().size(); ++m)
    for (uint32_t i = 0; i < p.module(m).accesses.size(); ++i)
      if (p.module(m).accesses[i].text == text && p.module(m).accesses[i].kind == k) return {m, i};
  ADD_FAILURE() << "no access " << text;
  return {};
}

TEST(Link, AttributeTypesAcrossFiles) {
  auto p = link({{"store", "class Store:\n    def __init__(self):\n        self.last_ino = 0\n"},
                 {"file", "from store import Store\nclass File:\n    def __init__(self, fs: Store):\n        self.fs = fs\n"
                          "    def f(self):\n        self.fs.last_ino += 1\n"
                          "class Other:\n    def __init__(self):\n        self.store = Store()\n"
                          "    def g(self):\n        self.store.last_ino += 1\n"}});
  EXPECT_EQ(location_of_text(p, "self.fs.last_ino", AccessKind::ReadModifyWrite), "Store.last_ino");
  EXPECT_EQ(location_of_text(p, "self.store.last_ino", AccessKind::ReadModifyWrite), "Store.last_ino");
}

TEST(Link, PropertiesStandForTheirAttribute) {
  auto p = link({{"m", "class D:\n    def __init__(self):\n        self._entries = {}\n    @property\n    def entries(self):\n"
                       "        return self._entries\n    def add(self, k):\n        self.entries[k] = 1\n"}});
  EXPECT_EQ(location_of_text(p, "self.entries", AccessKind::Mutate), "D._entries");
}

TEST(Link, InheritedAttributesAreOneLocation) {
  auto p = link({{"m", "class Base:\n    def __init__(self):\n        self.n = 0\nclass Sub(Base):\n    def f(self):\n        self.n += 1\n"}});
  EXPECT_EQ(location_of_text(p, "self.n", AccessKind::ReadModifyWrite), "Base.n");
}

TEST(Link, HelperCalledOnlyUnderCallersLockInheritsIt) {
  auto p = link({{"m", "import threading\nclass C:\n    def __init__(self):\n        self._lock = threading.Lock()\n"
                       "    def f(self):\n        with self._lock:\n            self._bump()\n"
                       "    def _bump(self):\n        self.n += 1\n"
                       "    def _unlocked(self):\n        self.m += 1\n    def g(self):\n        self._unlocked()\n"}});
  EXPECT_TRUE(p.holds_any_lock(ref(p, "self.n", AccessKind::ReadModifyWrite)));
  EXPECT_FALSE(p.holds_any_lock(ref(p, "self.m", AccessKind::ReadModifyWrite)));
}

TEST(Link, HelperCalledOnlyFromInitIsInitContext) {
  auto p = link({{"m", "class C:\n    def __init__(self):\n        self._setup()\n    def _setup(self):\n        self.n = 0\n"
                       "    def reset(self):\n        self._other()\n    def _other(self):\n        self.k = 0\n"}});
  EXPECT_TRUE(p.in_instance_init(ref(p, "self.n", AccessKind::Write)));
  EXPECT_FALSE(p.in_instance_init(ref(p, "self.k", AccessKind::Write)));
}

TEST(Link, ThreadLocalAttributesAreNotShared) {
  auto p = link({{"m", "import threading\n_tls = threading.local()\nclass C:\n    def __init__(self):\n"
                       "        self._local = threading.local()\n    def f(self):\n        self._local.depth += 1\n"
                       "def g():\n    _tls.x = 1\n"}});
  EXPECT_EQ(location_of_text(p, "self._local.depth", AccessKind::ReadModifyWrite), "<not shared>");
  EXPECT_EQ(location_of_text(p, "_tls.x", AccessKind::Write), "<not shared>");
}

TEST(Link, ConfidenceFollowsTheSharingModel) {
  auto p = link({{"m", "import threading\nclass Locked:\n    def __init__(self):\n        self._lock = threading.Lock()\n"
                       "    def f(self):\n        self.a += 1\n"
                       "class Plain:\n    def f(self):\n        self.b += 1\n"
                       "class Held:\n    def f(self):\n        self.c += 1\n"
                       "class Holder:\n    def __init__(self):\n        self.h = Held()\n"
                       "class Kept:\n    def f(self):\n        self.d += 1\n"
                       "class Keeper:\n    def __init__(self):\n        self.k = Kept()\n"
                       "KEEPER = Keeper()\n"}});
  EXPECT_EQ(confidence_at(p, ref(p, "self.a", AccessKind::ReadModifyWrite)), Confidence::High);
  EXPECT_EQ(confidence_at(p, ref(p, "self.b", AccessKind::ReadModifyWrite)), Confidence::Low);
  // Held by an object nothing shares: as private as its holder.
  EXPECT_EQ(confidence_at(p, ref(p, "self.c", AccessKind::ReadModifyWrite)), Confidence::Low);
  // Held by a module-level singleton: every thread reaches it.
  EXPECT_EQ(confidence_at(p, ref(p, "self.d", AccessKind::ReadModifyWrite)), Confidence::Medium);
}

TEST(Link, ConfinedClassesHaveNoSharedLocations) {
  LinkOptions o;
  o.confined_classes = {"Parser"};
  auto p = link({{"m", "class Parser:\n    def f(self):\n        self.pos += 1\n"}}, o);
  EXPECT_EQ(location_of_text(p, "self.pos", AccessKind::ReadModifyWrite), "<not shared>");
}

}  // namespace
}  // namespace raceaudit

namespace raceaudit {
namespace {

// Cyclic bases are legal to write (they fail only at import); linking must not loop.
TEST(Link, CyclicBasesTerminate) {
  auto p = link({{"m", "class A(B):\n    def f(self):\n        self.x.y += 1\nclass B(A):\n    def g(self):\n        self.z += 1\n"}});
  EXPECT_EQ(location_of_text(p, "self.z", AccessKind::ReadModifyWrite), "B.z");
}

}  // namespace
}  // namespace raceaudit
