# Every outside library, found once. All come from Debian packages (scripts/setup.sh installs
# them); nothing is fetched at configure or build time.
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)

pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
find_package(FlatBuffers CONFIG REQUIRED)
find_package(RocksDB CONFIG REQUIRED)
find_package(cppzmq CONFIG REQUIRED)
find_package(tomlplusplus CONFIG REQUIRED)
find_package(CLI11 CONFIG REQUIRED)
find_package(nlohmann_json CONFIG REQUIRED)
find_package(GTest CONFIG REQUIRED)
find_package(benchmark CONFIG REQUIRED)
include(GoogleTest)

# CAF 0.17.6 ships neither a CMake config nor a .pc file: make imported targets by hand.
find_path(CAF_INCLUDE_DIR caf/actor_system.hpp REQUIRED)
find_library(CAF_CORE_LIBRARY caf_core REQUIRED)
find_library(CAF_IO_LIBRARY caf_io REQUIRED)
add_library(CAF::core SHARED IMPORTED)
set_target_properties(CAF::core PROPERTIES IMPORTED_LOCATION "${CAF_CORE_LIBRARY}"
  INTERFACE_INCLUDE_DIRECTORIES "${CAF_INCLUDE_DIR}" INTERFACE_LINK_LIBRARIES Threads::Threads)
add_library(CAF::io SHARED IMPORTED)
set_target_properties(CAF::io PROPERTIES IMPORTED_LOCATION "${CAF_IO_LIBRARY}"
  INTERFACE_LINK_LIBRARIES CAF::core)

# Boost.DLL is header-only; the plugin host uses it on std::filesystem (BOOST_DLL_USE_STD_FS),
# so only the headers are needed (libboost-dev).
find_package(Boost 1.74 REQUIRED)
