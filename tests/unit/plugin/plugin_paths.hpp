#pragma once
// Where the build put the test plugins (tests/unit/CMakeLists.txt passes them in).

namespace synod::plugin::testing::paths {

inline constexpr const char* sum_v1 = SYNOD_TEST_SUM_V1;
inline constexpr const char* sum_v2 = SYNOD_TEST_SUM_V2;
inline constexpr const char* raw_garbage = SYNOD_TEST_RAW_GARBAGE;
inline constexpr const char* raw_oversize = SYNOD_TEST_RAW_OVERSIZE;
inline constexpr const char* raw_wrong_abi = SYNOD_TEST_RAW_WRONG_ABI;
inline constexpr const char* raw_no_factory = SYNOD_TEST_RAW_NO_FACTORY;
inline constexpr const char* raw_bad_manifest = SYNOD_TEST_RAW_BAD_MANIFEST;
inline constexpr const char* raw_null_create = SYNOD_TEST_RAW_NULL_CREATE;
inline constexpr const char* raw_missing_call = SYNOD_TEST_RAW_MISSING_CALL;
inline constexpr const char* raw_marker = SYNOD_TEST_RAW_MARKER;
inline constexpr const char* raw_slow_create = SYNOD_TEST_RAW_SLOW_CREATE;
inline constexpr const char* raw_marker_file = SYNOD_TEST_RAW_MARKER_FILE;

}  // namespace synod::plugin::testing::paths
