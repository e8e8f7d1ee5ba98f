// Lowering of NameUses (facts.h): the uses of globals that functions declare
// `global`, their roles and stored values, the attributes read off imported
// names, and where the top-level imports end.
#include <gtest/gtest.h>

#include "scan/scan.h"

namespace raceaudit {
namespace {

ModuleFacts lower(const std::string& src, LowerOptions o = {}) { return lower_text(src, "m.py", "m", o); }

// "line:col role" of each use, roles as letters: l(oad), s(tore), d(eclare).
std::vector<std::string> uses(const ModuleFacts& m) {
  std::vector<std::string> out;
  for (const NameUse& u : m.names.uses)
    out.push_back(m.names.globals[u.name] + " " + std::to_string(u.span.line) + ":" + std::to_string(u.span.col) +
                  " " + "lsd"[static_cast<int>(u.role)]);
  return out;
}

const NameUse* use_at(const ModuleFacts& m, uint32_t line, uint32_t col) {
  for (const NameUse& u : m.names.uses)
    if (u.span.line == line && u.span.col == col) return &u;
  return nullptr;
}

TEST(LowerNameUses, ASetterModule) {
  const auto m = lower(
      "_uid = None\n"
      "def set_uid(uid):\n"
      "    global _uid\n"
      "    _uid = uid\n"
      "def get():\n"
      "    return _uid, f\"{_uid!r}\", len(_uid), g(key=_uid)\n"
      "def other():\n"
      "    x = 1\n");
  ASSERT_TRUE(m.names.complete);
  EXPECT_EQ(m.names.globals, std::vector<std::string>{"_uid"});
  EXPECT_EQ(uses(m), (std::vector<std::string>{"_uid 1:1 s", "_uid 3:12 d", "_uid 4:5 s", "_uid 6:12 l",
                                               "_uid 6:21 l", "_uid 6:35 l", "_uid 6:48 l"}));
  const NameUse* binding = use_at(m, 1, 1);
  ASSERT_NE(binding, nullptr);
  EXPECT_EQ(binding->value_kind, StoredValue::Literal);
  EXPECT_EQ(binding->span.end_col, 5u);
  EXPECT_EQ(binding->value.col, 8u);
  EXPECT_EQ(binding->value.end_col, 12u);
  const NameUse* set = use_at(m, 4, 5);
  ASSERT_NE(set, nullptr);
  EXPECT_EQ(set->value_kind, StoredValue::Name);
  EXPECT_EQ(set->value.col, 12u);
  EXPECT_EQ(set->value.end_col, 15u);
}

// Whatever binds the name, or stores into what it holds, is no read: a fix
// that rewrites reads must see these as Store (and give up).
TEST(LowerNameUses, BindingsAndStoresIntoTheObjectAreNotLoads) {
  const auto m = lower(
      "g = 0\n"
      "def f(g=g, *, h: int = g):\n"         // 2: a parameter; its defaults are reads
      "    global g\n"
      "    g, y = 1, 2\n"                     // 4
      "    g.x = 1\n"                         // 5
      "    g[g] = 1\n"                        // 6: stores into g, reads g as the key
      "    obj.g = 1\n"                       // 7: an attribute, no use
      "    [g for g in range(3)]\n"           // 8
      "    with open(p) as g: pass\n"         // 9
      "    import g\n"                        // 10
      "    lambda g: 1\n"                     // 11
      "    h(g=1)\n"                          // 12: a keyword, no use
      "    del g\n");                         // 13
  ASSERT_TRUE(m.names.complete);
  EXPECT_EQ(uses(m), (std::vector<std::string>{"g 1:1 s", "g 2:7 s", "g 2:9 l", "g 2:24 l", "g 3:12 d", "g 4:5 s",
                                               "g 5:5 s", "g 6:5 s", "g 6:7 l", "g 8:6 l", "g 8:12 s", "g 9:21 s",
                                               "g 10:12 s", "g 11:12 s", "g 13:9 s"}));
  EXPECT_EQ(use_at(m, 4, 5)->value_kind, StoredValue::NotSimple);  // unpacking
}

TEST(LowerNameUses, WhatAPlainAssignmentStores) {
  const auto m = lower(
      "def f(a, b):\n"
      "    global g\n"
      "    g = -1\n"
      "    g = 'a' 'b'\n"
      "    g = f'{a}'\n"
      "    g = a.b.c\n"
      "    g = a, b\n"
      "    g = x = a\n"
      "    g += 1\n");
  auto kind = [&](uint32_t line) { return use_at(m, line, 5)->value_kind; };
  EXPECT_EQ(kind(3), StoredValue::Literal);
  EXPECT_EQ(kind(4), StoredValue::Literal);
  EXPECT_EQ(kind(5), StoredValue::Other);
  EXPECT_EQ(kind(6), StoredValue::Name);
  EXPECT_EQ(kind(7), StoredValue::Tuple);
  EXPECT_EQ(kind(8), StoredValue::NotSimple);  // chained
  EXPECT_EQ(kind(9), StoredValue::NotSimple);
}

TEST(LowerNameUses, TopLevelImportsAndTheFirstStatement) {
  const auto m = lower(
      "\"\"\"Doc.\"\"\"\n"                 // 1
      "from __future__ import annotations\n"
      "import os  # why\n"                  // 3
      "import sys; x = 1\n"                 // 4: shares its line
      "from a import (\n"
      "    b,\n"
      ")\n"                                 // 7
      "import contextvars\n"                // 8
      "try:\n"
      "    import json\n"                   // not top level
      "except ImportError:\n"
      "    pass\n"
      "def f():\n"
      "    global g\n");
  EXPECT_EQ(m.names.import_ends, (std::vector<uint32_t>{2, 3, 7, 8}));
  EXPECT_EQ(m.names.first_line, 2u);
  EXPECT_EQ(m.names.contextvars_line, 8u);
  const auto none = lower("# comment\n\nx = 1\nimport contextvars as cv\ndef f():\n    global g\n");
  EXPECT_EQ(none.names.first_line, 3u);
  EXPECT_EQ(none.names.contextvars_line, 0u);  // aliased: `contextvars.` does not name it
}

TEST(LowerNameUses, AttributesReadOffImportedNames) {
  const auto m = lower(
      "import pkg.settings\n"
      "from . import config\n"
      "def f(self):\n"
      "    return pkg.settings._uid, config.debug.level, self._gid, os.sep, f\"{config . mode}\"\n"
      "x = (config\n"
      "     .nested)\n");
  EXPECT_EQ(m.names.module_attributes,
            (std::vector<std::string>{"_uid", "debug", "level", "mode", "nested", "settings"}));
  EXPECT_TRUE(m.names.globals.empty());
  EXPECT_TRUE(m.names.complete);
}

TEST(LowerNameUses, NothingToRelyOnAfterASyntaxErrorOrTooDeep) {
  EXPECT_FALSE(lower("def f(:\n    global g\n    g = 1\n").names.complete);
  LowerOptions shallow;
  shallow.max_depth = 8;
  const auto deep = lower("g = 0\ndef f():\n    global g\n    g = ((((((((((1))))))))))\n", shallow);
  EXPECT_FALSE(deep.names.complete);
  EXPECT_TRUE(deep.names.uses.empty());
}

}  // namespace
}  // namespace raceaudit
