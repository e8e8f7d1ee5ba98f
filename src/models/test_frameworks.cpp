#include "models/test_frameworks.h"

#include <array>

namespace raceaudit {

bool is_test_setup_name(std::string_view name, bool is_method) {
  static constexpr std::array<std::string_view, 10> methods{
      "setUp",        "tearDown",        "setUpClass",   "tearDownClass",   "asyncSetUp",
      "asyncTearDown", "setup_method",   "teardown_method", "setup_class", "teardown_class"};
  static constexpr std::array<std::string_view, 4> functions{"setUpModule", "tearDownModule", "setup_module",
                                                             "teardown_module"};
  if (is_method) {
    for (std::string_view n : methods)
      if (n == name) return true;
    return false;
  }
  for (std::string_view n : functions)
    if (n == name) return true;
  return false;
}

bool is_test_fixture_decorator(std::string_view d) {
  return d == "pytest.fixture" || d == "fixture" || d == "pytest.yield_fixture";
}

bool is_test_module(std::string_view dotted) {
  for (size_t from = 0; from <= dotted.size();) {
    size_t dot = dotted.find('.', from);
    if (dot == std::string_view::npos) dot = dotted.size();
    const std::string_view part = dotted.substr(from, dot - from);
    if (part == "test" || part == "tests" || part == "testing" || part == "conftest" ||
        part.substr(0, 5) == "test_" || (part.size() > 5 && part.substr(part.size() - 5) == "_test"))
      return true;
    from = dot + 1;
  }
  return false;
}

}  // namespace raceaudit
