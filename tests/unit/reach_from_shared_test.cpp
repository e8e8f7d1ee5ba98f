// Sharing by reach (link/reach_from_shared.cpp): which classes' instances are
// reached from state every thread can reach, and which only from objects that
// nothing shares.
#include <gtest/gtest.h>

#include "link_one.h"

namespace raceaudit {
namespace {

const ClassInfo& cls(const Project& p, const std::string& name) {
  for (const ClassInfo& c : p.classes())
    if (c.name == name) return c;
  ADD_FAILURE() << "no class " << name;
  static const ClassInfo none;
  return none;
}

TEST(ReachFromShared, HeldByAModuleSingletonIsReachedAndHeldByAPrivateObjectIsNot) {
  const Project p = link_one(
      "class Buf:\n    pass\n"
      "class Response:\n    def __init__(self):\n        self.buf = Buf()\n"
      "class Stats:\n    pass\n"
      "class Server:\n    def __init__(self):\n        self.stats = Stats()\n"
      "SERVER = Server()\n");
  EXPECT_TRUE(cls(p, "Server").reached_shared);
  EXPECT_TRUE(cls(p, "Stats").reached_shared);
  EXPECT_EQ(p.classes()[static_cast<size_t>(cls(p, "Stats").shared_via)].name, "Server");
  EXPECT_FALSE(cls(p, "Response").reached_shared);
  EXPECT_FALSE(cls(p, "Buf").reached_shared);
}

TEST(ReachFromShared, APrivateAnnotatedSingletonNoFunctionUsesIsATypeCheck) {
  const Project p = link_one(
      "class Impl:\n    pass\n"
      "class Used:\n    pass\n"
      "class Kept:\n    pass\n"
      "_check: object = Impl()\n"
      "_used: object = Used()\n"
      "_kept = Kept()\n"
      "def bump():\n    _used.count += 1\n");
  EXPECT_FALSE(cls(p, "Impl").reached_shared);
  EXPECT_TRUE(cls(p, "Used").reached_shared);
  EXPECT_TRUE(cls(p, "Kept").reached_shared);
}

TEST(ReachFromShared, LazyGlobalSingletonsAndPublishedInstancesAreRoots) {
  const Project p = link_one(
      "import sys\n"
      "class Pool:\n    pass\n"
      "class Finder:\n    pass\n"
      "class Handler:\n    pass\n"
      "class Installer:\n    def __init__(self):\n        self._finder = Finder()\n"
      "    def install(self):\n        sys.meta_path.insert(0, self._finder)\n"
      "_pool = None\n_handlers = []\n"
      "def setup():\n    global _pool\n    _pool = Pool()\n"
      "def register(h: Handler):\n    _handlers.append(h)\n");
  EXPECT_TRUE(cls(p, "Pool").held_by_module);
  EXPECT_TRUE(cls(p, "Finder").held_by_module);
  EXPECT_TRUE(cls(p, "Handler").held_by_module);
  EXPECT_FALSE(cls(p, "Installer").reached_shared);
}

TEST(ReachFromShared, GenericAnnotationsAndFactoryDefaultsNameWhatAnAttributeHolds) {
  const Project p = link_one(
      "class Conn:\n    pass\n"
      "class Parser:\n    pass\n"
      "class Pool:\n"
      "    def __init__(self, parser_class=Parser):\n"
      "        self.conns: dict[str, Conn] = {}\n"
      "        self.parser = parser_class()\n"
      "POOL = Pool()\n");
  EXPECT_TRUE(cls(p, "Conn").reached_shared);
  EXPECT_TRUE(cls(p, "Parser").reached_shared);
}

TEST(ReachFromShared, AHubIsHeldByTwoUnrelatedClassesButAValueContainerIsNot) {
  const Project p = link_one(
      "class Fs:\n    pass\n"
      "class Headers(dict):\n    pass\n"
      "class File:\n    def __init__(self, fs: Fs, h: Headers):\n        self.fs = fs\n        self.h = h\n"
      "class Dir:\n    def __init__(self, fs: Fs, h: Headers):\n        self.fs = fs\n        self.h = h\n");
  EXPECT_TRUE(cls(p, "Fs").hub);
  EXPECT_TRUE(cls(p, "Fs").reached_shared);
  EXPECT_FALSE(cls(p, "Headers").hub);
  EXPECT_FALSE(cls(p, "Headers").reached_shared);
}

TEST(ReachFromShared, ParametersDoNotCarrySharing) {
  const Project p = link_one(
      "import threading\n"
      "class Req:\n    pass\n"
      "class Server:\n    def __init__(self):\n        self._lock = threading.Lock()\n"
      "    def handle(self, r: Req):\n        return r\n");
  EXPECT_TRUE(cls(p, "Server").reached_shared);
  EXPECT_FALSE(cls(p, "Req").reached_shared);
}

TEST(ReachFromShared, BasesOfAHeldObjectRunItsCodeButSiblingsAreOtherObjects) {
  const Project p = link_one(
      "import threading\n"
      "class Cache:\n    pass\n"
      "class Lru(Cache):\n    pass\n"
      "class Fifo(Cache):\n    pass\n"
      "class Base:\n    pass\n"
      "class Locked(Base):\n    def __init__(self):\n        self._lock = threading.Lock()\n"
      "class Other(Base):\n    pass\n"
      "CACHE = Lru()\n");
  EXPECT_TRUE(cls(p, "Cache").reached_shared);   // Lru's code includes Cache's
  EXPECT_FALSE(cls(p, "Fifo").reached_shared);   // another subclass, another object
  // A lock of its own protects a class's own state: no reach up to its base.
  EXPECT_TRUE(cls(p, "Locked").reached_shared);
  EXPECT_FALSE(cls(p, "Base").reached_shared);
  EXPECT_FALSE(cls(p, "Other").reached_shared);
}

}  // namespace
}  // namespace raceaudit
