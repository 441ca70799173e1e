// Checks the dependency direction of DESIGN.md on the source tree itself:
//   schemas <- sdk <- plugins;  schemas, sdk <- runtime <- actors <- actors/app
// plus the allowed edges between runtime components. A new component must be added to
// `component_deps` below, which keeps this map and the CMake links telling the same story.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

// runtime component -> runtime components it may include (transitively closed by hand).
const std::map<std::string, std::set<std::string>> component_deps = {
    {"base", {}},
    {"crypto", {"base"}},
    {"wallet", {"base", "crypto"}},
    {"chain", {"base", "crypto", "consensus"}},
    {"config", {"base", "crypto", "chain"}},
    {"store", {"base", "crypto", "chain"}},
    {"ledger", {"base", "crypto", "chain", "store"}},
    {"net", {"base", "crypto"}},
    {"consensus", {"base"}},
    {"plugin", {"base", "crypto"}},
};

struct include_site {
  std::string file;  // relative to the source root
  int line;
  std::string target;
};

std::vector<include_site> includes_under(const std::string& top) {
  std::vector<include_site> out;
  fs::path root = SYNOD_SOURCE_DIR;
  if (!fs::exists(root / top)) return out;
  static const std::regex include_re(R"(^\s*#\s*include\s*[<"]([^>"]+)[>"])");
  for (const auto& entry : fs::recursive_directory_iterator(root / top)) {
    auto ext = entry.path().extension();
    if (!entry.is_regular_file() || (ext != ".cpp" && ext != ".hpp" && ext != ".h")) continue;
    std::ifstream in(entry.path());
    std::string text;
    for (int n = 1; std::getline(in, text); ++n) {
      std::smatch m;
      if (std::regex_search(text, m, include_re))
        out.push_back({fs::relative(entry.path(), root).string(), n, m[1].str()});
    }
  }
  return out;
}

std::string where(const include_site& s) {
  return s.file + ":" + std::to_string(s.line) + " includes <" + s.target + ">";
}

bool starts_with(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }

// "synod/crypto/keys.hpp" -> "crypto"; "" when not a runtime component header.
std::string component_of(const std::string& target) {
  if (!starts_with(target, "synod/")) return "";
  auto rest = target.substr(6);
  auto slash = rest.find('/');
  if (slash == std::string::npos) return "";
  auto name = rest.substr(0, slash);
  return component_deps.count(name) ? name : "";
}

TEST(IncludeLint, RuntimeIncludesNoCafAndOnlyAllowedComponents) {
  for (const auto& s : includes_under("runtime")) {
    EXPECT_FALSE(starts_with(s.target, "caf/")) << where(s) << ": runtime/ must not use CAF";
    EXPECT_FALSE(starts_with(s.target, "actors/")) << where(s) << ": runtime/ must not use actors/";
    fs::path file(s.file);
    std::string own = std::next(file.begin())->string();  // runtime/<own>/...
    ASSERT_TRUE(component_deps.count(own))
        << "runtime/" << own << " is not in the lint's component map";
    auto to = component_of(s.target);
    if (to.empty() || to == own) continue;
    EXPECT_TRUE(component_deps.at(own).count(to))
        << where(s) << ": " << own << " may not depend on " << to;
  }
}

TEST(IncludeLint, SdkIncludesOnlyItselfStdAndFlatbuffers) {
  for (const auto& s : includes_under("sdk")) {
    EXPECT_TRUE(component_of(s.target).empty()) << where(s) << ": the SDK must not use runtime/";
    EXPECT_FALSE(starts_with(s.target, "caf/")) << where(s);
    EXPECT_FALSE(starts_with(s.target, "actors/")) << where(s);
    // Standard headers have no folder; of Synod, only the SDK and its own schema's header.
    const bool allowed = s.target.find('/') == std::string::npos || starts_with(s.target, "synod/sdk/") ||
                         starts_with(s.target, "flatbuffers/") ||
                         s.target == "synod/schemas/plugin_generated.h";
    EXPECT_TRUE(allowed) << where(s) << ": the SDK includes only the standard library, FlatBuffers "
                                        "and itself";
  }
}

TEST(IncludeLint, PluginsIncludeOnlyTheSdk) {
  for (const auto& s : includes_under("plugins")) {
    EXPECT_TRUE(component_of(s.target).empty()) << where(s) << ": plugins build against sdk/ only";
    EXPECT_FALSE(starts_with(s.target, "caf/")) << where(s);
  }
}

TEST(IncludeLint, NobodyIncludesCafAll) {
  for (const char* top : {"runtime", "actors", "sdk", "plugins", "tests"})
    for (const auto& s : includes_under(top))
      EXPECT_NE(s.target, "caf/all.hpp") << where(s) << ": include the CAF headers you use";
}

TEST(IncludeLint, SeesTheTree) {
  // Guards the lint itself: an empty scan would pass everything above.
  EXPECT_GT(includes_under("runtime").size(), 10u);
  EXPECT_GT(includes_under("sdk").size(), 5u);
}

}  // namespace
