# Brings the tree-sitter C runtime and the tree-sitter-python grammar in as
# source packages from the npm registry (`npm pack`), checks their pinned
# SHA-512 against the tarball, and builds both as static libraries.
# Nothing of either package is committed to this repository.

set(RACEAUDIT_TREE_SITTER_VERSION "0.25.0")
set(RACEAUDIT_TREE_SITTER_SHA512
    "3c6659cc55badde1256490defdbfd1fcb6ec8c30d825ae541232d9241e7d450b0c5fe7e8d23e787ea04f9f530629abff40d6b4251d3306255a8a46035828f929")
set(RACEAUDIT_TREE_SITTER_PYTHON_VERSION "0.25.0")
set(RACEAUDIT_TREE_SITTER_PYTHON_SHA512
    "782989c7acd06b7e46c5a0ad403fb05c73a162a07110bf9ba7bd56fecddf70332ed3a32bb739155d1e37edd46b0ab6eb0dbc8bb940c9a4083272cee772780b5f")

# Downloaded tarballs are kept here so that a second build dir needs no network.
set(RACEAUDIT_NPM_CACHE "$ENV{HOME}/.cache/raceaudit-npm" CACHE PATH
    "Where npm source packages are kept between builds")

# A source distribution (sdist) carries the tarballs in npm-sources/: then
# neither npm nor the network is needed. They are checked like downloads.
set(RACEAUDIT_BUNDLED_NPM_SOURCES "${PROJECT_SOURCE_DIR}/npm-sources")

function(raceaudit_npm_source name version sha512 out_dir)
  set(tarball "${RACEAUDIT_NPM_CACHE}/${name}-${version}.tgz")
  set(dest "${CMAKE_BINARY_DIR}/_deps/${name}-${version}")
  set(bundled "${RACEAUDIT_BUNDLED_NPM_SOURCES}/${name}-${version}.tgz")
  if(EXISTS "${bundled}")
    file(SHA512 "${bundled}" have)
    if(NOT have STREQUAL sha512)
      message(FATAL_ERROR "raceaudit: integrity check failed for ${bundled}: expected sha512 ${sha512}, got ${have}")
    endif()
    set(tarball "${bundled}")
  elseif(EXISTS "${tarball}")
    file(SHA512 "${tarball}" have)
    if(NOT have STREQUAL sha512)
      message(STATUS "Cached ${tarball} has the wrong hash; fetching again")
      file(REMOVE "${tarball}")
    endif()
  endif()
  if(NOT EXISTS "${tarball}")
    find_program(NPM_EXECUTABLE npm)
    if(NOT NPM_EXECUTABLE)
      message(FATAL_ERROR "raceaudit: npm is needed to fetch ${name}@${version}; run scripts/setup.sh (installs nodejs/npm)")
    endif()
    file(MAKE_DIRECTORY "${RACEAUDIT_NPM_CACHE}")
    execute_process(
      COMMAND "${NPM_EXECUTABLE}" pack "${name}@${version}" --pack-destination "${RACEAUDIT_NPM_CACHE}" --silent
      RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT rc EQUAL 0 OR NOT EXISTS "${tarball}")
      message(FATAL_ERROR "raceaudit: `npm pack ${name}@${version}` failed (is the npm registry reachable?): ${err}")
    endif()
    file(SHA512 "${tarball}" have)
    if(NOT have STREQUAL sha512)
      file(REMOVE "${tarball}")
      message(FATAL_ERROR "raceaudit: integrity check failed for ${name}@${version}: expected sha512 ${sha512}, got ${have}")
    endif()
  endif()
  if(NOT EXISTS "${dest}/package/package.json")
    file(REMOVE_RECURSE "${dest}")
    file(ARCHIVE_EXTRACT INPUT "${tarball}" DESTINATION "${dest}")
  endif()
  set(${out_dir} "${dest}/package" PARENT_SCOPE)
endfunction()

raceaudit_npm_source(tree-sitter ${RACEAUDIT_TREE_SITTER_VERSION}
                     ${RACEAUDIT_TREE_SITTER_SHA512} TS_RUNTIME_DIR)
raceaudit_npm_source(tree-sitter-python ${RACEAUDIT_TREE_SITTER_PYTHON_VERSION}
                     ${RACEAUDIT_TREE_SITTER_PYTHON_SHA512} TS_PYTHON_DIR)

set(_ts_lib "${TS_RUNTIME_DIR}/vendor/tree-sitter/lib")
add_library(tree_sitter_runtime STATIC "${_ts_lib}/src/lib.c")
target_include_directories(tree_sitter_runtime SYSTEM
  PUBLIC "${_ts_lib}/include" PRIVATE "${_ts_lib}/src")
set_target_properties(tree_sitter_runtime PROPERTIES C_STANDARD 11 POSITION_INDEPENDENT_CODE ON)
target_compile_options(tree_sitter_runtime PRIVATE -w)
target_compile_definitions(tree_sitter_runtime PRIVATE _POSIX_C_SOURCE=200112L _DEFAULT_SOURCE)

add_library(tree_sitter_python STATIC
  "${TS_PYTHON_DIR}/src/parser.c" "${TS_PYTHON_DIR}/src/scanner.c")
target_include_directories(tree_sitter_python PRIVATE "${TS_PYTHON_DIR}/src")
set_target_properties(tree_sitter_python PROPERTIES C_STANDARD 11 POSITION_INDEPENDENT_CODE ON)
target_compile_options(tree_sitter_python PRIVATE -w)
