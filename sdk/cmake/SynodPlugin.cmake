# synod_add_plugin(TARGET SOURCES ... [LIBRARIES ...]): one subnet plugin, a loadable module
# TARGET.so built against the SDK alone.
#  - hidden visibility: the plugin exports only synod_plugin_create (SYNOD_PLUGIN);
#  - GCC's -fno-gnu-unique: without it, inline statics become STB_GNU_UNIQUE symbols, glibc
#    marks the first image NODELETE, and an old version never unloads after a hot swap;
#  - --no-undefined: a missing symbol fails the build, not the host's dlopen.
function(synod_add_plugin target)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBRARIES" ${ARGN})
  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE synod::sdk ${ARG_LIBRARIES})
  set_target_properties(${target} PROPERTIES PREFIX "" CXX_VISIBILITY_PRESET hidden
                                             C_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
  target_compile_options(${target} PRIVATE $<$<CXX_COMPILER_ID:GNU>:-fno-gnu-unique>)
  target_link_options(${target} PRIVATE LINKER:--no-undefined)
endfunction()

# synod_add_plugin_test(TARGET): a ctest case, TARGET.conformance, that runs the conformance
# suite (synod::plugin_check) on the plugin: manifest, determinism, limits, bad buffers.
function(synod_add_plugin_test target)
  add_test(NAME ${target}.conformance COMMAND $<TARGET_FILE:synod::plugin_check> $<TARGET_FILE:${target}>)
endfunction()
