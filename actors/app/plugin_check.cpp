// synod-plugin-check: the plugin conformance suite as a program of its own, so that the SDK's
// CMake package can run it on an author's plugin (synod_add_plugin_test) without the node.
// `synod plugin check` runs the same suite.

#include <CLI/CLI.hpp>

#include <cstdio>

#include "synod/plugin/conformance.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Runs the Synod plugin conformance suite on a subnet plugin (.so)"};
  std::string file;
  std::vector<std::string> options;
  synod::plugin::conformance_options o;
  app.add_option("plugin", file, "the plugin's shared object")->required();
  app.add_option("--seeds", o.seeds, "challenge seeds to run (default 8)");
  app.add_option("--garbage", o.garbage_inputs, "random buffers per call (default 200)");
  app.add_option("--option", options, "KEY=VALUE passed to the plugin's factory; repeatable");
  CLI11_PARSE(app, argc, argv);
  auto parsed = synod::plugin::parse_options(options);
  if (!parsed) {
    std::fprintf(stderr, "error: %s\n", parsed.error().message().c_str());
    return 2;
  }
  o.load.options = std::move(*parsed);
  auto report = synod::plugin::check_conformance(file, o);
  std::fputs(synod::plugin::to_text(report).c_str(), stdout);
  return report.passed() ? 0 : 1;
}
