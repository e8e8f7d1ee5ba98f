// Thread reach (link/thread_reach.cpp, link/call_graph.cpp): loop drivers,
// the public methods through which a user drives a client's loop in its
// thread's place, starts that give each object one thread, lifecycle code
// (link/lifecycle.cpp) and property setters called by assignment.
#include <gtest/gtest.h>

#include "link_one.h"

namespace raceaudit {
namespace {

const ScopeInfo& info(const Project& p, const std::string& qualname) {
  const auto& scopes = p.module(0).scopes;
  for (size_t s = 0; s < scopes.size(); ++s)
    if (scopes[s].qualname == qualname) return p.scope_info(0, static_cast<int32_t>(s));
  ADD_FAILURE() << "no scope " << qualname;
  static const ScopeInfo none;
  return none;
}

const char* kClient =
    "import threading\n"
    "class Client:\n"
    "    def __init__(self):\n        self._thread = None\n"
    "    def start(self):\n"
    "        if self._thread is not None:\n            return\n"
    "        self._thread = threading.Thread(target=self._main)\n        self._thread.start()\n"
    "    def _main(self):\n        self.loop_forever()\n"
    "    def loop_forever(self):\n        while True:\n            self._loop()\n"
    "    def loop(self):\n        self._loop()\n"
    "    def _loop(self):\n        self.loop_read()\n"
    "    def loop_read(self):\n        self._read()\n"
    "    def _read(self):\n        pass\n"
    "    def send(self):\n        self._queue()\n"
    "    def _queue(self):\n        pass\n";

TEST(ThreadReach, PublicMethodsTheThreadCallsOrThatRunItsLoopBodyAreLoopDrivers) {
  const Project p = link_one(kClient);
  EXPECT_TRUE(info(p, "Client.loop_forever").loop_driver);
  EXPECT_TRUE(info(p, "Client.loop_read").loop_driver);
  EXPECT_TRUE(info(p, "Client.loop").loop_driver);  // runs one `_loop()`, the body of loop_forever's while
  EXPECT_FALSE(info(p, "Client.send").loop_driver);
  EXPECT_FALSE(info(p, "Client.start").loop_driver);
}

TEST(ThreadReach, CodeReachedOnlyThroughDriversIsNotReachedFromOtherApi) {
  const Project p = link_one(kClient);
  const ScopeInfo& read = info(p, "Client._read");
  EXPECT_TRUE(read.thread_reached);
  EXPECT_TRUE(read.api_reached);
  EXPECT_FALSE(read.api_reached_besides_drivers);
  EXPECT_TRUE(info(p, "Client._queue").api_reached_besides_drivers);
}

TEST(ThreadReach, AStartGuardedByTheAttributeKeepingTheThreadGivesOneThreadPerObject) {
  const Project guarded = link_one(kClient);
  EXPECT_TRUE(info(guarded, "Client._main").thread_target);
  EXPECT_FALSE(info(guarded, "Client._main").many_threads);
  std::string unguarded = kClient;
  unguarded.replace(unguarded.find("        if self._thread is not None:\n            return\n"),
                    std::string("        if self._thread is not None:\n            return\n").size(), "");
  const Project p = link_one(unguarded);
  EXPECT_TRUE(info(p, "Client._main").many_threads);
}

TEST(ThreadReach, ACheckOfAnotherAttributeDoesNotGuardTheStart) {
  std::string src = kClient;
  src.replace(src.find("if self._thread is not None:"), std::string("if self._thread is not None:").size(),
              "if self._other is not None:");
  const Project p = link_one(src);
  EXPECT_TRUE(info(p, "Client._main").many_threads);
}

TEST(Lifecycle, StartStopAndTheirHelpersNoThreadReaches) {
  const Project p = link_one(
      "import threading\n"
      "class S:\n"
      "    def start(self):\n        self._t = threading.Thread(target=self._run)\n"
      "    def stop(self, wait=True):\n        self._halt()\n"
      "    def close(self, fd):\n        self._drop()\n"
      "    def reset(self):\n        self._drop()\n"
      "    def _halt(self):\n        pass\n"
      "    def _drop(self):\n        pass\n"
      "    def shutdown(self):\n        pass\n"
      "    def _run(self):\n        self.shutdown()\n");
  EXPECT_TRUE(info(p, "S.start").lifecycle);
  EXPECT_TRUE(info(p, "S.stop").lifecycle) << "an optional argument";
  EXPECT_TRUE(info(p, "S._halt").lifecycle) << "only stop() calls it";
  EXPECT_FALSE(info(p, "S.close").lifecycle) << "closes the fd it is handed";
  EXPECT_FALSE(info(p, "S._drop").lifecycle) << "reset() calls it too";
  EXPECT_FALSE(info(p, "S.shutdown").lifecycle) << "the thread calls it";
  EXPECT_FALSE(info(p, "S._run").lifecycle);
}

TEST(CallGraph, AssigningAPropertyWithASetterCallsTheSetter) {
  const Project p = link_one(
      "import threading\n"
      "class W(threading.Thread):\n"
      "    def __init__(self, owner):\n        self.owner = owner\n"
      "    def run(self):\n        self.owner.flag = 1\n"
      "class Pool:\n"
      "    def __init__(self, owner):\n        self.owner = owner\n"
      "    def grow(self):\n        W(self.owner).start()\n"
      "class O:\n"
      "    def __init__(self):\n        self.pool = Pool(self)\n"
      "    @property\n    def flag(self):\n        return 0\n"
      "    @flag.setter\n    def flag(self, v):\n        self.stop()\n"
      "    def stop(self):\n        pass\n");
  EXPECT_TRUE(info(p, "O.stop").thread_reached) << "W.run -> O.flag's setter -> stop, through Pool's owner";
}

}  // namespace
}  // namespace raceaudit

#include "facts/private_references.h"

namespace raceaudit {
namespace {

TEST(PrivateReferences, NamesOutsideTheirDefAndOffSelfCount) {
  const std::vector<std::string> refs = private_references(
      "def _helper():\n    pass\n"
      "async def _coro():\n    pass\n"
      "def f(obj):\n    obj._load(1)\n    self._own()\n    cls._other()\n"
      "    getattr(self, '_handle_%s' % kind)\n    return __name__, _x\n");
  EXPECT_EQ(refs, (std::vector<std::string>{"_handle_", "_load", "_x"}));
}

TEST(ThreadReach, APrivateFunctionNamedElsewhereOrCalledFromOneIsReachable) {
  const Project p = link_one(
      "class C:\n"
      "    def _dead(self):\n        pass\n"
      "    def _dispatched(self):\n        self._inner()\n"
      "    def _inner(self):\n        pass\n"
      "    def _handle_x(self):\n        pass\n"
      "    def run(self, kind):\n        getattr(self, '_handle_%s' % kind)()\n"
      "def use(c):\n    c._dispatched()\n");
  EXPECT_FALSE(info(p, "C._dead").reachable);
  EXPECT_TRUE(info(p, "C._dispatched").named_elsewhere);
  EXPECT_TRUE(info(p, "C._inner").reachable);  // through `_dispatched`
  EXPECT_TRUE(info(p, "C._handle_x").named_elsewhere);
}

}  // namespace
}  // namespace raceaudit
