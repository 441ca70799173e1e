// The smallest libFuzzer target: CMake (try_compile) and run.sh build it to learn whether this
// clang can make fuzzers at all, and run.sh starts it once to learn whether they run here.

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)data;
  (void)size;
  return 0;
}
