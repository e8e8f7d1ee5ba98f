# Run as a script: writes OUTPUT, a C++ file that defines raceaudit::rule_doc()
# over every docs/rules/RA*.md in DOCS_DIR. One source serves both the docs
# folder and `raceaudit rule CODE`.
file(GLOB pages "${DOCS_DIR}/RA*.md")
list(SORT pages)
set(body "// Generated from docs/rules by cmake/EmbedRuleDocs.cmake. Do not edit.\n#include \"rules/rule_docs.h\"\n\nnamespace raceaudit {\n\nstd::string_view rule_doc(std::string_view code) {\n")
foreach(page IN LISTS pages)
  get_filename_component(code "${page}" NAME_WE)
  file(READ "${page}" text)
  set(body "${body}  if (code == \"${code}\")\n    return R\"RADOC(${text})RADOC\";\n")
endforeach()
set(body "${body}  return {};\n}\n\n}  // namespace raceaudit\n")
file(WRITE "${OUTPUT}.tmp" "${body}")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
