// The library models: what container operations, lock factories and
// exception handlers mean to the analysis.
#include <gtest/gtest.h>

#include "models/callbacks.h"
#include "models/container_ops.h"
#include "models/iteration.h"
#include "models/name_tables.h"
#include "models/test_frameworks.h"
#include "models/threading_apis.h"

namespace raceaudit {
namespace {

TEST(ContainerOps, MethodsByNameAndArity) {
  EXPECT_EQ(container_method_op("append", 1), Op::Append);
  EXPECT_EQ(container_method_op("popleft", 0), Op::PopLeft);
  EXPECT_EQ(container_method_op("clear", 0), Op::Clear);
  EXPECT_EQ(container_method_op("clear", 3), Op::ClearSome) << "CookieJar.clear(domain, path, name)";
  EXPECT_EQ(container_method_op("get", 1), Op::None) << "a read, not a mutation";
  EXPECT_TRUE(empties(Op::Clear));
  EXPECT_FALSE(empties(Op::ClearSome));
}

TEST(ContainerOps, HeapqOnlyUnderItsOwnNames) {
  EXPECT_EQ(heapq_op("heapq.heappop"), Op::HeapPop);
  EXPECT_EQ(heapq_op("heappush"), Op::HeapPush);
  EXPECT_EQ(heapq_op("queue.heappop"), Op::None);
  EXPECT_EQ(op_name(Op::HeapPop), "heapq.heappop");
}

TEST(ContainerOps, OnePopListForEveryRule) {
  for (Op op : {Op::Pop, Op::PopLeft, Op::PopItem, Op::HeapPop, Op::HeapPushPop, Op::HeapReplace})
    EXPECT_TRUE(removes_element(op)) << op_name(op);
  for (Op op : {Op::Append, Op::HeapPush, Op::Remove, Op::Discard}) EXPECT_FALSE(removes_element(op)) << op_name(op);
  for (Op op : {Op::Append, Op::AppendLeft, Op::Insert}) EXPECT_TRUE(appends_item(op)) << op_name(op);
}

TEST(ContainerOps, FactoriesTellTheContainer) {
  EXPECT_EQ(container_of_factory("collections.deque"), Container::Deque);
  EXPECT_EQ(container_of_factory("list"), Container::List);
  EXPECT_EQ(container_of_factory("defaultdict"), Container::DefaultDict) << "d[k] inserts";
  EXPECT_EQ(container_of_factory("OrderedDict"), Container::Dict);
  EXPECT_EQ(container_of_factory("make_things"), Container::Unknown);
}

TEST(ThreadingApis, HandlersByExceptionClassNotBySubstring) {
  EXPECT_EQ(race_symptoms_caught_by("KeyError"), HandledLookup);
  EXPECT_EQ(race_symptoms_caught_by("builtins.IndexError"), HandledLookup);
  EXPECT_EQ(race_symptoms_caught_by("RuntimeError"), HandledRuntime);
  EXPECT_EQ(race_symptoms_caught_by("Exception"), HandledLookup | HandledRuntime);
  EXPECT_EQ(race_symptoms_caught_by("ConfigException"), 0);
  EXPECT_EQ(race_symptoms_caught_by("errors.KeyErrorLog"), 0);
  EXPECT_EQ(race_symptoms_caught_by("queue.Empty"), HandledLookup) << "get_nowait() after empty()";
}

TEST(ContainerOps, QueueTestsAndTakes) {
  EXPECT_TRUE(is_queue_size_method("empty"));
  EXPECT_TRUE(is_queue_size_method("qsize"));
  EXPECT_FALSE(is_queue_size_method("size"));
  EXPECT_TRUE(is_queue_get("get", 0)) << "q.get() / q.get(timeout=1)";
  EXPECT_TRUE(is_queue_get("get_nowait", 0));
  EXPECT_FALSE(is_queue_get("get", 1)) << "d.get(k) is a dict lookup";
}

// Which calls iterate what, and which copies CPython's threadsafety.rst
// documents as one locked step.
TEST(Iteration, ConsumersAdaptersAndCopies) {
  EXPECT_EQ(iteration_call("min", 1, false).op, Op::MinMax);
  EXPECT_EQ(iteration_call("min", 1, true).op, Op::Consume) << "min(x, default=d) cannot raise";
  EXPECT_EQ(iteration_call("max", 2, false).use, IterUse::None) << "max(a, b) compares its arguments";
  EXPECT_EQ(iteration_call("tuple", 1, false).use, IterUse::Consume) << "no locked copy documented";
  EXPECT_EQ(iteration_call("list", 1, false).use, IterUse::Copy);
  EXPECT_EQ(iteration_call("itertools.chain", 3, false).use, IterUse::Adapter);
  const IterCall m = iteration_call("map", 2, false);
  EXPECT_EQ(m.first, 1);
  EXPECT_TRUE(m.all_after);
  EXPECT_EQ(iteration_call("six.iteritems", 1, false).use, IterUse::DictHelper);
  EXPECT_EQ(iteration_call("six.iteritems", 1, false).op, Op::Items);
  EXPECT_EQ(iteration_call("mylib.iteritems", 1, false).use, IterUse::None) << "only six/future spellings";
  EXPECT_EQ(iteration_call("iter", 2, false).use, IterUse::None) << "iter(callable, sentinel)";
  EXPECT_TRUE(copies_views_atomically("sorted"));
  EXPECT_FALSE(copies_views_atomically("set")) << "set.update locks only a set, frozenset or dict";
  EXPECT_EQ(view_method_op("itervalues"), Op::Values);
  EXPECT_EQ(view_method_op("copy"), Op::None);
}

TEST(ThreadingApis, LockNamesWordByWord) {
  EXPECT_TRUE(lock_like_name("_cache_lock"));
  EXPECT_TRUE(lock_like_name("stateMutex"));
  EXPECT_FALSE(lock_like_name("blocks"));
  EXPECT_FALSE(lock_like_name("clock"));
  EXPECT_EQ(lock_helper_direction("self._acquire_lock"), 1);
  EXPECT_EQ(lock_helper_direction("_releaseLock"), -1);
  EXPECT_EQ(lock_helper_direction("self.close"), 0);
  EXPECT_EQ(lock_helper_direction("self.lock_data"), 1) << "coverage's tracers";
  EXPECT_EQ(lock_helper_direction("self.unlock_data"), -1);
  EXPECT_EQ(lock_helper_direction("self.locked"), 0);
}

TEST(ThreadingApis, LockFactoriesByTheirName) {
  EXPECT_TRUE(named_lock_factory("client.handler.rlock_object"));
  EXPECT_TRUE(named_lock_factory("self._make_lock"));
  EXPECT_TRUE(named_lock_factory("pool.createMutex"));
  EXPECT_TRUE(named_lock_factory("lock_factory"));
  EXPECT_FALSE(named_lock_factory("self.lock")) << "takes the lock";
  EXPECT_FALSE(named_lock_factory("self._acquire_lock")) << "a lock helper, not a factory";
  EXPECT_FALSE(named_lock_factory("make_clock")) << "clock is not a lock";
  EXPECT_FALSE(named_lock_factory("self.make_blocks"));
  EXPECT_FALSE(named_lock_factory("handler.event_object")) << "no lock noun";
}

TEST(ThreadingApis, SyncObjectsAreLocksEventsAndQueues) {
  EXPECT_TRUE(is_sync_object_factory("threading.Event"));
  EXPECT_TRUE(is_sync_object_factory("Event"));
  EXPECT_TRUE(is_sync_object_factory("queue.SimpleQueue"));
  EXPECT_TRUE(is_sync_object_factory("threading.RLock"));
  EXPECT_FALSE(is_sync_object_factory("dict"));
  EXPECT_FALSE(is_sync_object_factory("collections.deque")) << "a container: its clear() empties it";
}

TEST(NameTables, LifecycleMethodsByWholeNameOrFirstOrLastWord) {
  EXPECT_TRUE(is_lifecycle_method_name("start"));
  EXPECT_TRUE(is_lifecycle_method_name("shutdown"));
  EXPECT_TRUE(is_lifecycle_method_name("loop_start"));
  EXPECT_TRUE(is_lifecycle_method_name("start_async"));
  EXPECT_FALSE(is_lifecycle_method_name("on_stop")) << "a handler";
  EXPECT_FALSE(is_lifecycle_method_name("_stop_timer")) << "private: decided by its callers";
  EXPECT_FALSE(is_lifecycle_method_name("restarts_count")) << "words, not substrings";
  EXPECT_FALSE(is_lifecycle_method_name("open")) << "book.open() opens an account";
  EXPECT_FALSE(is_lifecycle_method_name("disconnect"));
}

TEST(TestFrameworks, TestModulesByAnyPartOfTheDottedName) {
  EXPECT_TRUE(is_test_module("cheroot.test.test_core"));
  EXPECT_TRUE(is_test_module("kazoo.tests.util"));
  EXPECT_TRUE(is_test_module("conftest"));
  EXPECT_TRUE(is_test_module("test_cache"));
  EXPECT_TRUE(is_test_module("pkg.cache_test"));
  EXPECT_TRUE(is_test_module("pkg.testing.fakes"));
  EXPECT_FALSE(is_test_module("pkg.testutils")) << "only whole parts count";
  EXPECT_FALSE(is_test_module("pkg.contest"));
  EXPECT_FALSE(is_test_module("pkg.latest"));
  EXPECT_FALSE(is_test_module("_test")) << "a suffix needs a stem";
  EXPECT_FALSE(is_test_module(""));
}

TEST(Callbacks, RegistrationsByTheCalleeName) {
  EXPECT_TRUE(registers_callback("r.register_hook"));
  EXPECT_TRUE(registers_callback("register")) << "a local alias: register = partial(register_callback, id)";
  EXPECT_TRUE(registers_callback("future.add_done_callback"));
  EXPECT_TRUE(registers_callback("client.add_listener"));
  EXPECT_TRUE(registers_callback("signal.connect"));
  EXPECT_TRUE(registers_callback("emitter.on"));
  EXPECT_TRUE(registers_callback("signal.signal"));
  EXPECT_TRUE(registers_callback("weakref.finalize"));
  EXPECT_FALSE(registers_callback("atexit.register")) << "runs once, at exit";
  EXPECT_FALSE(registers_callback("loop.add_reader")) << "the event loop's own thread";
  EXPECT_FALSE(registers_callback("loop.call_soon"));
  EXPECT_FALSE(registers_callback("sorted"));
  EXPECT_FALSE(registers_callback("self.reconnect"));
  EXPECT_FALSE(registers_callback("online"));
}

TEST(Callbacks, ContainersThatHoldCallbacksByTheirName) {
  EXPECT_TRUE(is_callback_container_name("self._listeners"));
  EXPECT_TRUE(is_callback_container_name("self.hooks[\"response\"]"));
  EXPECT_TRUE(is_callback_container_name("_exit_handlers"));
  EXPECT_TRUE(is_callback_container_name("self.onChangeCallbacks"));
  EXPECT_FALSE(is_callback_container_name("self._pending"));
  EXPECT_FALSE(is_callback_container_name("self.items"));
  EXPECT_TRUE(adds_an_element("append"));
  EXPECT_FALSE(adds_an_element("remove"));
}

}  // namespace
}  // namespace raceaudit
