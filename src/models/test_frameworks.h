// What the test frameworks of the Python world mean to the analysis: which
// functions a runner calls on its own thread around a test (set-up, tear-down,
// fixtures), so that what they write is written before the test's threads
// start or after they end.
#pragma once

#include <string_view>

namespace raceaudit {

// unittest's setUp/tearDown/setUpClass/..., pytest's and nose's setup_method,
// setup_class, setup_module, ...; `is_method` says whether it is defined in a class.
bool is_test_setup_name(std::string_view name, bool is_method);
// `@pytest.fixture`, `@fixture` (decorator text before any call parentheses).
bool is_test_fixture_decorator(std::string_view decorator);
// A module of a test suite, by its dotted name: a `test`, `tests` or
// `testing` package anywhere in it, or a `test_*`, `*_test`, `tests` or
// `conftest` module. A runner calls it on one thread unless it starts threads.
bool is_test_module(std::string_view dotted_name);

}  // namespace raceaudit
