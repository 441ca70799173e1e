#include "harness.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace synod::fuzz {
namespace {

namespace fs = std::filesystem;

// Not a libFuzzer flag (its own `-seed=N` picks the random seed), so the two never collide.
constexpr std::string_view seed_flag = "-synod_seeds=";

bool write_file(const fs::path& path, const bytes& data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
  return static_cast<bool>(out.flush());
}

int write_seeds(const fs::path& dir, const std::vector<bytes>& seeds) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  for (std::size_t i = 0; i < seeds.size(); ++i) {
    auto path = dir / ("seed-" + std::to_string(i));
    if (!write_file(path, seeds[i])) {
      std::fprintf(stderr, "cannot write seed %s\n", path.c_str());
      return 1;
    }
  }
  std::fprintf(stderr, "wrote %zu seeds to %s\n", seeds.size(), dir.c_str());
  return 0;
}

}  // namespace

void invariant_failed(const char* condition, const char* file, int line) noexcept {
  std::fprintf(stderr, "\n==synod-fuzz== invariant broken at %s:%d: %s\n", file, line, condition);
  std::fflush(stderr);
  __builtin_trap();
}

void run_seed_mode(int argc, char** argv, const std::function<std::vector<bytes>()>& make_seeds) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg(argv[i]);
    if (arg.starts_with(seed_flag)) std::exit(write_seeds(arg.substr(seed_flag.size()), make_seeds()));
  }
}

}  // namespace synod::fuzz
