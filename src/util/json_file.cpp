#include "util/json_file.h"

#include "util/source_text.h"

namespace raceaudit {
namespace {

// Rejects a document nested deeper than kMaxJsonDepth while it is parsed,
// before anything is built from it.
class DepthCheck : public nlohmann::json_sax<nlohmann::json> {
 public:
  bool too_deep = false;
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return enter(); }
  bool key(string_t&) override { return true; }
  bool end_object() override { return leave(); }
  bool start_array(std::size_t) override { return enter(); }
  bool end_array() override { return leave(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override { return false; }

 private:
  size_t depth_ = 0;
  bool enter() {
    too_deep = ++depth_ > kMaxJsonDepth;
    return !too_deep;
  }
  bool leave() {
    --depth_;
    return true;
  }
};

}  // namespace

bool read_json_file(const std::string& path, const std::string& what, const std::string& hint, nlohmann::json& out,
                    std::string& error) {
  std::string bytes, why;
  if (!read_file(path, bytes, why)) {
    error = "cannot read " + what + " " + path + ": " + why;
    return false;
  }
  DepthCheck depth;
  nlohmann::json::sax_parse(bytes, &depth, nlohmann::json::input_format_t::json, false);
  if (depth.too_deep) {
    error = what + " " + path + " is nested deeper than " + std::to_string(kMaxJsonDepth) + " levels; " + hint;
    return false;
  }
  out = nlohmann::json::parse(bytes, nullptr, false);
  if (out.is_discarded()) {
    error = what + " " + path + " is not valid JSON; " + hint;
    return false;
  }
  return true;
}

}  // namespace raceaudit
