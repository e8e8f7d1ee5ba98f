// Lowering: access kinds, roots, lock regions, guarded acts, scopes.
#include <gtest/gtest.h>

#include <algorithm>

#include "scan/scan.h"

namespace raceaudit {
namespace {

ModuleFacts lower(const std::string& src) { return lower_text(src, "m.py", "m", {}); }

const Place& place(const ModuleFacts& m, const Access* a) { return m.places[a->place]; }

const Access* find(const ModuleFacts& m, AccessKind k, const std::string& text) {
  for (const auto& a : m.accesses)
    if (a.kind == k && a.text == text) return &a;
  return nullptr;
}

TEST(Lower, AugmentedAndSpelledOutUpdatesAreReadModifyWrites) {
  auto m = lower("class C:\n    def f(self, n):\n        self.a += 1\n        self.b = self.b + n\n        self.c = n + self.c\n        self.d = self.e + 1\n");
  EXPECT_NE(find(m, AccessKind::ReadModifyWrite, "self.a"), nullptr);
  EXPECT_NE(find(m, AccessKind::ReadModifyWrite, "self.b"), nullptr);
  EXPECT_NE(find(m, AccessKind::ReadModifyWrite, "self.c"), nullptr);
  EXPECT_EQ(find(m, AccessKind::ReadModifyWrite, "self.d"), nullptr);
  EXPECT_NE(find(m, AccessKind::Write, "self.d"), nullptr);
}

// A write's value and annotation texts are kept once per module, not in every
// access: accesses are about one per line of code, so their size is the
// per-line cost of the facts kept until linking (bench/facts_memory.sh;
// issue 16 item 16: 152 bytes per access before).
TEST(Lower, WriteTextsAreInternedOncePerModule) {
  auto m = lower("x = make()\nx = make()\ny: Dict[str, int] = {}\nz = x\nw = 1\n");
  EXPECT_EQ(m.texts, (std::vector<std::string>{"", "make", "Dict[str, int]", "x"}));
  const Access* y = find(m, AccessKind::Write, "y");
  ASSERT_NE(y, nullptr);
  EXPECT_EQ(m.type_hint(*y), "Dict[str, int]");
  EXPECT_EQ(m.value_text(*y), "");
  EXPECT_EQ(m.value_text(*find(m, AccessKind::Write, "z")), "x");
  EXPECT_EQ(m.value_text(*find(m, AccessKind::Write, "w")), "");
  EXPECT_LE(sizeof(Access), 96u);
}

TEST(Lower, ScopeTextsAreInternedOncePerModule) {
  auto m = lower("class C:\n    @property\n    def p(self):\n        return self._p\n    def f(self) -> 'Node':\n"
                 "        pass\n    def g(self) -> Node:\n        pass\n    def h(self):\n        pass\n");
  ASSERT_EQ(m.scopes.size(), 6u);  // module, C, p, f, g, h
  EXPECT_EQ(m.property_returns(m.scopes[2]), "_p");
  EXPECT_EQ(m.returns(m.scopes[3]), "Node");  // the quotes of a forward reference dropped
  EXPECT_EQ(m.scopes[3].returns, m.scopes[4].returns);
  EXPECT_EQ(m.returns(m.scopes[5]), "");
  EXPECT_LE(sizeof(Scope), 160u);  // was 216
}

TEST(Lower, ReceiversAndRoots) {
  auto m = lower(
      "import helpers\nclass C:\n    def f(self, node):\n        self.fs.last_ino += 1\n        node.count -= 1\n"
      "        type(self).n += 1\n        self.__class__.k = 2\n        helpers.USER_ID = 0\n"
      "    @classmethod\n    def g(cls):\n        cls.registry = {}\n");
  const Access* a = find(m, AccessKind::ReadModifyWrite, "self.fs.last_ino");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(place(m, a).root, Root::Self);
  EXPECT_EQ(place(m, a).path, "fs.last_ino");
  a = find(m, AccessKind::ReadModifyWrite, "node.count");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(place(m, a).root, Root::Param);
  a = find(m, AccessKind::ReadModifyWrite, "type(self).n");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(place(m, a).root, Root::Cls);
  a = find(m, AccessKind::Write, "self.__class__.k");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(place(m, a).root, Root::Cls);
  a = find(m, AccessKind::Write, "helpers.USER_ID");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(place(m, a).root, Root::Global);
  EXPECT_EQ(place(m, a).root_name, "helpers");
  a = find(m, AccessKind::Write, "cls.registry");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(place(m, a).root, Root::Cls);
  EXPECT_EQ(a->value, ValueKind::EmptyContainer);
}

TEST(Lower, LocalsAndLocalObjectsAreNotLocations) {
  auto m = lower("def f(items):\n    n = 0\n    n += 1\n    b = Box()\n    b.count += 1\n");
  for (const auto& a : m.accesses) ADD_FAILURE() << "unexpected access " << a.text;
}

TEST(Lower, GlobalDeclarationMakesAWrite) {
  auto m = lower("USER = 0\ndef set_user(u):\n    global USER\n    USER = u\ndef local_only(u):\n    USER = u\n");
  int writes = 0;
  for (const auto& a : m.accesses)
    if (a.kind == AccessKind::Write && a.text == "USER") ++writes;
  EXPECT_EQ(writes, 2);  // the module-level one and the one after `global`
}

TEST(Lower, WithAcquireAndFinallyRegions) {
  auto m = lower(
      "class C:\n    def f(self):\n        with self._lock:\n            self.a += 1\n        self.b += 1\n"
      "    def g(self):\n        self._lock.acquire()\n        try:\n            self.c += 1\n        finally:\n"
      "            self._lock.release()\n        self.d += 1\n"
      "    def h(self):\n        with self._a_lock, self._b_lock:\n            self.e += 1\n");
  auto locks = [&](const char* t) { return m.locksets[find(m, AccessKind::ReadModifyWrite, t)->lockset]; };
  EXPECT_EQ(locks("self.a").size(), 1u);
  EXPECT_TRUE(locks("self.b").empty());
  EXPECT_EQ(locks("self.c").size(), 1u);
  EXPECT_TRUE(locks("self.d").empty()) << "released in finally";
  EXPECT_EQ(locks("self.e").size(), 2u);
}

TEST(Lower, ChecksGuardActsInTheBranchAndAfterEarlyExit) {
  auto m = lower(
      "import heapq\nclass C:\n    def f(self):\n        if self.free:\n            return heapq.heappop(self.free)\n"
      "    def g(self):\n        if not self.q:\n            return None\n        return self.q.pop()\n"
      "    def h(self, k):\n        if k not in self.cache:\n            self.cache[k] = 1\n");
  ASSERT_EQ(m.guarded.size(), 3u);
  EXPECT_EQ(m.accesses[m.guarded[0].act].op, Op::HeapPop);
  EXPECT_EQ(m.accesses[m.guarded[1].act].op, Op::Pop);
  EXPECT_EQ(m.accesses[m.guarded[2].act].op, Op::SetItem);
  EXPECT_EQ(m.accesses[m.guarded[2].check].check, CheckKind::In);
}

TEST(Lower, SnapshotsAreReadsNotIterations) {
  auto m = lower("class C:\n    def f(self):\n        for k in list(self.d):\n            pass\n        for k in self.e.items():\n            pass\n        return [v for v in self.g]\n");
  EXPECT_EQ(find(m, AccessKind::Iterate, "self.d"), nullptr);
  EXPECT_NE(find(m, AccessKind::Read, "self.d"), nullptr);
  EXPECT_NE(find(m, AccessKind::Iterate, "self.e"), nullptr);
  EXPECT_NE(find(m, AccessKind::Iterate, "self.g"), nullptr);
}

TEST(Lower, ScopesAndInitMethods) {
  auto m = lower("class A:\n    class B:\n        def __init__(self):\n            pass\n        def run(self):\n            pass\n");
  ASSERT_EQ(m.scopes.size(), 5u);
  EXPECT_EQ(m.scopes[3].qualname, "A.B.__init__");
  EXPECT_TRUE(m.scopes[3].is_init);
  EXPECT_FALSE(m.scopes[4].is_init);
  EXPECT_TRUE(m.scopes[4].is_method);
}

TEST(Lower, DeepNestingIsBoundedWithADiagnostic) {
  std::string src = "x = " + std::string(5000, '(') + "1" + std::string(5000, ')') + "\n";
  auto m = lower(src);
  bool found = false;
  for (const auto& d : m.diagnostics) found = found || d.message.find("nesting deeper") != std::string::npos;
  EXPECT_TRUE(found);
}

TEST(Lower, SuppressionComments) {
  auto m = lower("a = 1  # raceaudit: ignore[RA001, ra003]\nb = 2  # raceaudit: ignore\nc = 3  # thread_safe_ok\ns = '# raceaudit: ignore'\n");
  ASSERT_EQ(m.suppressions.size(), 3u);
  EXPECT_EQ(m.suppressions[0].codes, (std::vector<std::string>{"RA001", "RA003"}));
  EXPECT_TRUE(m.suppressions[1].all_codes);
  EXPECT_EQ(m.suppressions[2].line, 3u);
  EXPECT_FALSE(m.ignore_file);
  EXPECT_TRUE(lower("# raceaudit: ignore-file\n").ignore_file);
}

}  // namespace
}  // namespace raceaudit

namespace raceaudit {
namespace {

TEST(Lower, VeryLongAttributeChainsAreNotLocationsAndDoNotRecurse) {
  std::string chain = "self";
  for (int i = 0; i < 100000; ++i) chain += ".a";
  auto m = lower("class C:\n    def f(self):\n        " + chain + " = 1\n        self.b += 1\n");
  EXPECT_NE(find(m, AccessKind::ReadModifyWrite, "self.b"), nullptr);
}

TEST(Lower, ManyIdenticalChecksMakeBoundedGuardPairs) {
  std::string cond = "self.a";
  for (int i = 0; i < 5000; ++i) cond += " == self.a";
  std::string src = "class C:\n    def f(self):\n        if " + cond + ":\n";
  for (int i = 0; i < 1000; ++i) src += "            self.a.append(1)\n";
  auto m = lower(src);
  EXPECT_LE(m.guarded.size(), 8u * 1000u);
  EXPECT_GE(m.guarded.size(), 1000u);
}

}  // namespace
}  // namespace raceaudit

namespace raceaudit {
namespace {

TEST(Lower, StateGateIsTheFirstStatementRaisingUnlessSelfIsInOneState) {
  auto m = lower(
      "class C:\n"
      "    def a(self):\n"                      // 2: gated (after a docstring and a comment)
      "        \"\"\"Doc.\"\"\"\n"
      "        # only while stopped\n"
      "        if self.state != STOPPED:\n"
      "            raise RuntimeError\n"
      "    def b(self):\n"                      // 3: `is not` and a dotted state
      "        if self._state is not State.NEW:\n"
      "            raise RuntimeError\n"
      "    def c(self):\n"                      // 4: `==` raises in the state, not unless it
      "        if self.state == STOPPED:\n"
      "            raise RuntimeError\n"
      "    def d(self):\n"                      // 5: not the first statement
      "        x = 1\n"
      "        if self.state != STOPPED:\n"
      "            raise RuntimeError\n"
      "    def e(self):\n"                      // 6: an else branch
      "        if self.state != STOPPED:\n"
      "            raise RuntimeError\n"
      "        else:\n"
      "            pass\n"
      "    def f(self):\n"                      // 7: the body does not raise first
      "        if self.state != STOPPED:\n"
      "            return\n"
      "    def g(self, other):\n"               // 8: not the object's own attribute
      "        if other.state != STOPPED:\n"
      "            raise RuntimeError\n");
  ASSERT_EQ(m.scopes.size(), 9u);
  ASSERT_NE(m.gate(2), nullptr);
  EXPECT_EQ(m.gate(2)->attr, "state");
  EXPECT_EQ(m.gate(2)->state, "STOPPED");
  ASSERT_NE(m.gate(3), nullptr);
  EXPECT_EQ(m.gate(3)->attr, "_state");
  EXPECT_EQ(m.gate(3)->state, "State.NEW");
  for (size_t s = 4; s < 9; ++s) EXPECT_EQ(m.gate(static_cast<int32_t>(s)), nullptr) << m.scopes[s].name;
  EXPECT_EQ(m.gates.size(), 2u);
}

}  // namespace
}  // namespace raceaudit

namespace raceaudit {
namespace {

TEST(Lower, FunctionsPassedOrStoredAsValuesArePassedCallsAndCallsAreNot) {
  auto m = lower_text(
      "import threading\n"
      "class C:\n"
      "    def f(self, xs):\n"
      "        self._retry(self._bump)\n"
      "        self._cb = self._trace\n"
      "        g(xs, key=helper)\n"
      "        self.register_hook('x', self._on_x)\n"
      "        threading.Thread(target=self._run)\n",
      "m.py", "m", {});
  std::vector<std::string> passed, called;
  for (const Call& c : m.calls) {
    const Place& pl = m.places[c.callee];
    const std::string name = pl.path.empty() ? pl.root_name : pl.path;
    (c.passed ? passed : called).push_back(name);
  }
  std::sort(passed.begin(), passed.end());
  // Passed: what a call may run; not the registered callback or the thread target.
  EXPECT_EQ(passed, (std::vector<std::string>{"_bump", "_trace", "helper"}));
  for (const std::string& n : {"_retry", "_on_x", "_run"})
    EXPECT_NE(std::find(called.begin(), called.end(), n), called.end()) << n;
}

}  // namespace
}  // namespace raceaudit
