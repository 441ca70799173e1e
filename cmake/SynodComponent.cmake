# synod_add_component(NAME SOURCES ... [DEPS ...] [PRIVATE_DEPS ...])
# One runtime component = one static library `synod_<name>`, alias `synod::<name>`, public
# headers under include/synod/<name>/, sources beside it.
function(synod_add_component name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(synod_${name} STATIC ${ARG_SOURCES})
  add_library(synod::${name} ALIAS synod_${name})
  target_include_directories(synod_${name} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include)
  target_link_libraries(synod_${name} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  synod_warnings(synod_${name})
endfunction()

function(synod_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
    -Wnon-virtual-dtor -Wconversion -Wno-sign-conversion
    # GCC 12 false positive on std::string concatenation at -O2+ (GCC bug 105329).
    $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict>)
endfunction()

# synod_add_test(NAME SOURCES ... DEPS ...): one GoogleTest binary, each TEST a ctest case.
function(synod_add_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  synod_warnings(${name})
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60)
endfunction()
