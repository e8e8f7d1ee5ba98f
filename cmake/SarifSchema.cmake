# The official SARIF 2.1.0 JSON schema, for the tests that validate
# `raceaudit scan --format sarif`. It is never committed: it comes from the
# npm registry (`npm pack`) at test time, pinned by version and SHA-512 like
# cmake/TreeSitter.cmake, and is cached next to the tree-sitter tarballs.
#
# The package is @microsoft/sarif-matcher-utils (Microsoft's sarif-js-sdk,
# MIT, 22 kB), whose lib/schemas/sarif-2.1.0-rtm.5.json is the SARIF 2.1.0
# JSON schema (revision rtm.5, JSON Schema draft-04) that Microsoft's own SARIF
# matchers validate against. No npm package found ships the file under its
# OASIS name, sarif-schema-2.1.0.json: @microsoft/jest-sarif carries the same
# rtm.5 file, and @microsoft/sarif-multitool-linux a draft 2020-12 rewrite
# inside a 43 MB binary tool.
#
# Script mode (what tests/e2e/sarif_test.cpp runs):
#   cmake [-DRACEAUDIT_NPM_CACHE=dir] -P cmake/SarifSchema.cmake
# prints `SARIF_SCHEMA=<path>` on success; exits non-zero with a message when
# npm or the registry is unavailable or the tarball's hash is wrong.
# Include mode: include(cmake/SarifSchema.cmake) sets RACEAUDIT_SARIF_SCHEMA
# (empty, with a warning, when it cannot be fetched).

set(RACEAUDIT_SARIF_SCHEMA_PACKAGE "@microsoft/sarif-matcher-utils")
set(RACEAUDIT_SARIF_SCHEMA_TARBALL "microsoft-sarif-matcher-utils")  # npm pack's file name for the scoped package
set(RACEAUDIT_SARIF_SCHEMA_VERSION "1.0.0-beta.0")
set(RACEAUDIT_SARIF_SCHEMA_SHA512
    "259ccc80c2bc9ef4a4e880c38dd0ba1ca6ef8fb927bdab73c07986015e4778c7ba902e8b140cbf6b5efd673870f2508a157b11f6c8949b51f49e67372a372e65")
set(RACEAUDIT_SARIF_SCHEMA_MEMBER "package/lib/schemas/sarif-2.1.0-rtm.5.json")

if(NOT RACEAUDIT_NPM_CACHE)
  set(RACEAUDIT_NPM_CACHE "$ENV{HOME}/.cache/raceaudit-npm")
endif()

# Sets ${out} to the schema's path, or to "" and ${why} to the reason.
function(raceaudit_fetch_sarif_schema out why)
  set(${out} "" PARENT_SCOPE)
  set(tarball "${RACEAUDIT_NPM_CACHE}/${RACEAUDIT_SARIF_SCHEMA_TARBALL}-${RACEAUDIT_SARIF_SCHEMA_VERSION}.tgz")
  set(dest "${RACEAUDIT_NPM_CACHE}/${RACEAUDIT_SARIF_SCHEMA_TARBALL}-${RACEAUDIT_SARIF_SCHEMA_VERSION}")
  set(schema "${dest}/${RACEAUDIT_SARIF_SCHEMA_MEMBER}")
  if(EXISTS "${tarball}")
    file(SHA512 "${tarball}" have)
    if(NOT have STREQUAL RACEAUDIT_SARIF_SCHEMA_SHA512)
      file(REMOVE "${tarball}")
      file(REMOVE_RECURSE "${dest}")
    endif()
  endif()
  if(NOT EXISTS "${tarball}")
    find_program(NPM_EXECUTABLE npm)
    if(NOT NPM_EXECUTABLE)
      set(${why} "npm is not installed (scripts/setup.sh installs it)" PARENT_SCOPE)
      return()
    endif()
    file(MAKE_DIRECTORY "${RACEAUDIT_NPM_CACHE}")
    execute_process(
      COMMAND "${NPM_EXECUTABLE}" pack "${RACEAUDIT_SARIF_SCHEMA_PACKAGE}@${RACEAUDIT_SARIF_SCHEMA_VERSION}"
              --pack-destination "${RACEAUDIT_NPM_CACHE}" --silent
      RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err TIMEOUT 300)
    if(NOT rc EQUAL 0 OR NOT EXISTS "${tarball}")
      string(STRIP "${err}" err)
      set(${why} "`npm pack ${RACEAUDIT_SARIF_SCHEMA_PACKAGE}@${RACEAUDIT_SARIF_SCHEMA_VERSION}` failed (is the npm registry reachable?): ${err}" PARENT_SCOPE)
      return()
    endif()
    file(SHA512 "${tarball}" have)
    if(NOT have STREQUAL RACEAUDIT_SARIF_SCHEMA_SHA512)
      file(REMOVE "${tarball}")
      message(FATAL_ERROR "raceaudit: integrity check failed for ${RACEAUDIT_SARIF_SCHEMA_PACKAGE}@${RACEAUDIT_SARIF_SCHEMA_VERSION}: expected sha512 ${RACEAUDIT_SARIF_SCHEMA_SHA512}, got ${have}")
    endif()
  endif()
  if(NOT EXISTS "${schema}")
    file(REMOVE_RECURSE "${dest}")
    file(ARCHIVE_EXTRACT INPUT "${tarball}" DESTINATION "${dest}" PATTERNS "${RACEAUDIT_SARIF_SCHEMA_MEMBER}")
  endif()
  if(NOT EXISTS "${schema}")
    set(${why} "${tarball} holds no ${RACEAUDIT_SARIF_SCHEMA_MEMBER}" PARENT_SCOPE)
    return()
  endif()
  set(${out} "${schema}" PARENT_SCOPE)
endfunction()

raceaudit_fetch_sarif_schema(RACEAUDIT_SARIF_SCHEMA _raceaudit_sarif_why)
if(CMAKE_SCRIPT_MODE_FILE)
  if(NOT RACEAUDIT_SARIF_SCHEMA)
    message(FATAL_ERROR "raceaudit: no SARIF schema: ${_raceaudit_sarif_why}")
  endif()
  execute_process(COMMAND ${CMAKE_COMMAND} -E echo "SARIF_SCHEMA=${RACEAUDIT_SARIF_SCHEMA}")
elseif(NOT RACEAUDIT_SARIF_SCHEMA)
  message(WARNING "raceaudit: the SARIF schema test will be skipped: ${_raceaudit_sarif_why}")
endif()
