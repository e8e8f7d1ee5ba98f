// The library models: what container operations, lock factories and
// exception handlers mean to the analysis.
#include <gtest/gtest.h>

#include "models/container_ops.h"
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
  EXPECT_EQ(container_of_factory("defaultdict"), Container::Dict);
  EXPECT_EQ(container_of_factory("make_things"), Container::Unknown);
}

TEST(ThreadingApis, HandlersByExceptionClassNotBySubstring) {
  EXPECT_EQ(race_symptoms_caught_by("KeyError"), HandledLookup);
  EXPECT_EQ(race_symptoms_caught_by("builtins.IndexError"), HandledLookup);
  EXPECT_EQ(race_symptoms_caught_by("RuntimeError"), HandledRuntime);
  EXPECT_EQ(race_symptoms_caught_by("Exception"), HandledLookup | HandledRuntime);
  EXPECT_EQ(race_symptoms_caught_by("ConfigException"), 0);
  EXPECT_EQ(race_symptoms_caught_by("errors.KeyErrorLog"), 0);
}

TEST(ThreadingApis, LockNamesWordByWord) {
  EXPECT_TRUE(lock_like_name("_cache_lock"));
  EXPECT_TRUE(lock_like_name("stateMutex"));
  EXPECT_FALSE(lock_like_name("blocks"));
  EXPECT_FALSE(lock_like_name("clock"));
  EXPECT_EQ(lock_helper_direction("self._acquire_lock"), 1);
  EXPECT_EQ(lock_helper_direction("_releaseLock"), -1);
  EXPECT_EQ(lock_helper_direction("self.close"), 0);
}

}  // namespace
}  // namespace raceaudit
