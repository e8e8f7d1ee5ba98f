# RACEAUDIT_STATIC_DEPS: a binary that runs on any glibc Linux of the same age
# or newer, whatever C++ libraries are installed there (the wheel, a release
# download). libc stays shared (a fully static glibc binary cannot resolve
# users and hosts reliably); everything else is linked in:
# - libstdc++ and libgcc with -static-libstdc++ -static-libgcc;
# - fmt and toml++ header-only (Debian ships them only as shared libraries);
# - other libraries from their .a archives: find_library() prefers .a, and
#   raceaudit_pkg_config_dependency() below links pkg-config's --static list.
# Without the option the build links the system's shared libraries as usual.
option(RACEAUDIT_STATIC_DEPS "Link every dependency but libc statically (for the wheel)" OFF)

if(RACEAUDIT_STATIC_DEPS)
  add_link_options(-static-libstdc++ -static-libgcc)
  set(CMAKE_FIND_LIBRARY_SUFFIXES .a ${CMAKE_FIND_LIBRARY_SUFFIXES})
endif()

# raceaudit_fmt and raceaudit_tomlplusplus: what the targets link instead of
# fmt::fmt and tomlplusplus::tomlplusplus.
function(raceaudit_define_format_libraries)
  add_library(raceaudit_fmt INTERFACE)
  add_library(raceaudit_tomlplusplus INTERFACE)
  if(RACEAUDIT_STATIC_DEPS)
    target_link_libraries(raceaudit_fmt INTERFACE fmt::fmt-header-only)
    get_target_property(toml_include tomlplusplus::tomlplusplus INTERFACE_INCLUDE_DIRECTORIES)
    target_include_directories(raceaudit_tomlplusplus SYSTEM INTERFACE ${toml_include})
    target_compile_definitions(raceaudit_tomlplusplus INTERFACE TOML_HEADER_ONLY=1)
  else()
    target_link_libraries(raceaudit_fmt INTERFACE fmt::fmt)
    target_link_libraries(raceaudit_tomlplusplus INTERFACE tomlplusplus::tomlplusplus)
  endif()
endfunction()

# raceaudit_pkg_config_dependency(NAME MODULE...): an INTERFACE target NAME
# for the pkg-config MODULEs. With RACEAUDIT_STATIC_DEPS it links the .a
# archive of every library in `pkg-config --static --libs MODULE...`, and
# stops with one line naming the first archive that is missing; otherwise the
# shared libraries of the first MODULE. Name a module whose .pc file forgets
# its own private dependencies next to it: Debian's libgit2.pc lists -lssh2
# but not what libssh2.a needs (OpenSSL, libgpg-error), so libgit2 is
#   raceaudit_pkg_config_dependency(raceaudit_git2 libgit2 libssh2)
function(raceaudit_pkg_config_dependency name module)
  find_package(PkgConfig REQUIRED)
  add_library(${name} INTERFACE)
  if(NOT RACEAUDIT_STATIC_DEPS)
    pkg_check_modules(_dep REQUIRED ${module})
    target_include_directories(${name} SYSTEM INTERFACE ${_dep_INCLUDE_DIRS})
    target_link_libraries(${name} INTERFACE ${_dep_LINK_LIBRARIES})
    return()
  endif()
  pkg_check_modules(_dep REQUIRED ${module} ${ARGN})
  target_include_directories(${name} SYSTEM INTERFACE ${_dep_STATIC_INCLUDE_DIRS})
  target_compile_options(${name} INTERFACE ${_dep_STATIC_CFLAGS_OTHER})
  foreach(lib IN LISTS _dep_STATIC_LIBRARIES)
    if(lib MATCHES "^(c|m|dl|rt|pthread)$")  # parts of libc: stay shared
      target_link_libraries(${name} INTERFACE ${lib})
      continue()
    endif()
    find_library(_archive_${lib} NAMES lib${lib}.a HINTS ${_dep_STATIC_LIBRARY_DIRS} NO_CACHE)
    if(NOT _archive_${lib})
      message(FATAL_ERROR "raceaudit: RACEAUDIT_STATIC_DEPS needs lib${lib}.a (for ${module}); install its -dev package")
    endif()
    target_link_libraries(${name} INTERFACE ${_archive_${lib}})
  endforeach()
  target_link_options(${name} INTERFACE ${_dep_STATIC_LDFLAGS_OTHER})
endfunction()
