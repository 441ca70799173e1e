// `synod plugin new|check|info` and `synod bench plugin`: the subnet plugin SDK from the
// command line (docs/plugin-guide.md). `plugin record|shadow` are in plugin_shadow.cpp.

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <thread>

#include "cli_errc.hpp"
#include "client.hpp"
#include "commands.hpp"
#include "plugin_cmd.hpp"
#include "synod/plugin/conformance.hpp"
#include "synod/plugin/slot.hpp"
#include "template_files.hpp"

namespace synod::app {
namespace {

namespace fs = std::filesystem;
using clock_type = std::chrono::steady_clock;

// ---- plugin new ---------------------------------------------------------------------------

bool valid_plugin_name(const std::string& n) {
  if (n.empty() || n.size() > 64 || !(n[0] >= 'a' && n[0] <= 'z')) return false;
  return std::all_of(n.begin(), n.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

std::string renamed(std::string_view text, const std::string& name) {
  std::string out;
  constexpr std::string_view placeholder = "subnet_template";
  for (std::size_t at = 0;;) {
    auto hit = text.find(placeholder, at);
    out.append(text.substr(at, hit == std::string_view::npos ? std::string_view::npos : hit - at));
    if (hit == std::string_view::npos) return out;
    out += name;
    at = hit + placeholder.size();
  }
}

int run_new(const std::string& name, const std::string& dir_flag) {
  if (!valid_plugin_name(name))
    return report(error(errc::bad_flag, "plugin name '" + name +
                                            "' must start with a-z and hold only a-z, 0-9 and '_' (at most 64)"));
  const fs::path dir(dir_flag);
  std::error_code ec;
  if (fs::exists(dir, ec) && !(fs::is_directory(dir, ec) && fs::is_empty(dir, ec)))
    return report(error(errc::bad_flag, dir.string() + " already exists and is not an empty folder; nothing was written"));
  fs::create_directories(dir, ec);
  if (ec) return report(error(errc::unreadable_file, "cannot create " + dir.string() + ": " + ec.message()));
  for (const auto& f : subnet_template_files()) {
    std::ofstream out(dir / f.name, std::ios::binary);
    out << renamed(f.text, name);
    if (!out) return report(error(errc::unreadable_file, "cannot write " + (dir / f.name).string()));
  }
  std::printf("created subnet plugin %s in %s (CMakeLists.txt, subnet.cpp)\n\n", name.c_str(), dir.c_str());
  std::printf("build and test it against the installed SDK (docs/plugin-guide.md):\n");
  std::printf("  cmake -S %s -B %s/build -DCMAKE_PREFIX_PATH=<sdk prefix>\n", dir.c_str(), dir.c_str());
  std::printf("  cmake --build %s/build && ctest --test-dir %s/build\n", dir.c_str(), dir.c_str());
  std::printf("then: synod plugin check %s/build/%s.so\n", dir.c_str(), name.c_str());
  return exit_ok;
}

// ---- plugin check / info ------------------------------------------------------------------

int run_check(const std::string& file, const plugin_option_flags& opts, std::uint32_t seeds, std::uint32_t garbage) {
  plugin::conformance_options o;
  auto parsed = parse_plugin_options(opts);
  if (!parsed) return report(parsed.error());
  o.load.options = std::move(*parsed);
  o.seeds = seeds;
  o.garbage_inputs = garbage;
  auto r = plugin::check_conformance(file, o);
  std::fputs(plugin::to_text(r).c_str(), stdout);
  return r.passed() ? exit_ok : exit_error;
}

int run_info(const std::string& file, const plugin_option_flags& opts) {
  auto p = load_plugin(file, opts);
  if (!p) return report(p.error());
  const auto& m = (*p)->manifest();
  std::printf("name          %s\nversion       %s\ndescription   %s\n", m.name.c_str(), m.version.c_str(),
              m.description.c_str());
  std::printf("task format   %s\nanswer format %s\n", m.task_format.c_str(), m.answer_format.c_str());
  std::printf("limits        requests <= %u bytes, replies <= %u bytes, %u ms per call\n",
              m.limits.max_request_bytes, m.limits.max_reply_bytes, m.limits.deadline_ms);
  std::printf("aggregate     %s\nABI version   %u\nblake2b-256   %s\n", (*p)->has_aggregate() ? "yes" : "no",
              SYNOD_PLUGIN_ABI_VERSION, (*p)->content_hash().hex().c_str());
  return exit_ok;
}

// ---- plugin swap / list (a running node) ---------------------------------------------------

nlohmann::json json_of(const net::plugin_view& v) {
  return {{"slot", v.name}, {"plugin", v.plugin}, {"version", v.version}, {"hash", v.hash.hex()},
          {"file", v.file}, {"swaps", v.swaps}};
}

struct swap_flags {
  client_flags client;
  std::string name, file, hash, cookie_file;
};

// The operator cookie a node wrote at start (the banner prints where).
result<std::string> read_cookie(const std::string& file) {
  std::ifstream in(file);
  std::string hex;
  if (!(in >> hex)) return error(errc::unreadable_file, "cannot read the operator cookie " + file);
  return hex;
}

int run_swap(const swap_flags& f) {
  auto cookie = read_cookie(f.cookie_file);
  if (!cookie) return report(cookie.error());
  net::swap_plugin req{f.name, fs::absolute(f.file).string(), std::nullopt, *cookie};
  if (!f.hash.empty()) {
    auto h = hash32::from_hex(f.hash);
    if (!h) return report(error(errc::bad_flag, "--hash wants 64 hex digits, got '" + f.hash + "'"));
    req.hash = *h;
  }
  auto c = connect_or_report(f.client);
  if (!c) return exit_error;
  auto r = ask<net::plugin_swapped>(*c, f.client, std::move(req));
  if (!r) return exit_error;
  if (f.client.json) {
    const nlohmann::json j = {{"old_version", r->old_version}, {"now", json_of(r->now)}, {"load_us", r->load_us}};
    std::printf("%s\n", j.dump(2).c_str());
  } else if (r->old_version.empty()) {
    std::printf("plugin slot %s: loaded %s %s (%.2f ms)\n", r->now.name.c_str(), r->now.plugin.c_str(),
                r->now.version.c_str(), static_cast<double>(r->load_us) / 1000.0);
  } else {
    std::printf("plugin slot %s: %s %s -> %s (loaded in %.2f ms; calls in flight finish on %s)\n",
                r->now.name.c_str(), r->now.plugin.c_str(), r->old_version.c_str(), r->now.version.c_str(),
                static_cast<double>(r->load_us) / 1000.0, r->old_version.c_str());
  }
  return exit_ok;
}

struct list_flags {
  client_flags client;
  std::string cookie_file;
};

int run_list(const list_flags& lf) {
  const client_flags& f = lf.client;
  auto cookie = read_cookie(lf.cookie_file);
  if (!cookie) return report(cookie.error());
  auto c = connect_or_report(f);
  if (!c) return exit_error;
  auto r = ask<net::plugin_list>(*c, f, net::list_plugins{*cookie});
  if (!r) return exit_error;
  if (f.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& v : r->plugins) list.push_back(json_of(v));
    std::printf("%s\n", list.dump(2).c_str());
    return exit_ok;
  }
  if (r->plugins.empty()) std::printf("no plugins loaded\n");
  for (const auto& v : r->plugins)
    std::printf("%-16s %s %s  swaps %llu  blake2b %s\n  %s\n", v.name.c_str(), v.plugin.c_str(), v.version.c_str(),
                static_cast<unsigned long long>(v.swaps), v.hash.hex().c_str(), v.file.c_str());
  return exit_ok;
}

// ---- bench plugin -------------------------------------------------------------------------

struct bench_flags {
  std::string file;
  plugin_option_flags options;
  std::uint32_t calls = 200'000;
  std::uint32_t swaps = 20;
  bool json = false;
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

// Median over 5 rounds of `calls / 5` calls each, in nanoseconds per call.
template <class Fn>
result<double> time_calls(std::uint32_t calls, Fn fn) {
  std::vector<double> rounds;
  const std::uint32_t per_round = std::max<std::uint32_t>(1, calls / 5);
  for (int r = 0; r < 5; ++r) {
    const auto t0 = clock_type::now();
    for (std::uint32_t i = 0; i < per_round; ++i) SYNOD_TRY(fn());
    rounds.push_back(std::chrono::duration<double, std::nano>(clock_type::now() - t0).count() / per_round);
  }
  return median(rounds);
}

int run_bench(const bench_flags& f) {
  auto p = load_plugin(f.file, f.options);
  if (!p) return report(p.error());
  auto c = (*p)->challenge(1);
  if (!c) return report(c.error());
  auto a = (*p)->answer(c->task);
  if (!a) return report(a.error());
  auto to_status = [](const auto& r) -> status { return r ? ok() : status(r.error()); };
  auto score_ns = time_calls(f.calls, [&] { return to_status((*p)->score(c->task, c->reference, *a)); });
  auto answer_ns = time_calls(f.calls / 10, [&] { return to_status((*p)->answer(c->task)); });
  if (!score_ns) return report(score_ns.error());
  if (!answer_ns) return report(answer_ns.error());

  // Hot swap: load + swap a fresh copy `swaps` times while other threads keep calling score
  // through the slot; the slowest call shows whether a swap ever blocks a caller.
  plugin::slot s(*p);
  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> calls{0}, failed{0};
  std::atomic<double> slowest_call_ms{0};
  auto caller = [&] {
    double worst = 0;
    while (!stop) {
      const auto t0 = clock_type::now();
      auto cur = s.current();
      if (!cur->score(c->task, c->reference, *a)) ++failed;
      worst = std::max(worst, std::chrono::duration<double, std::milli>(clock_type::now() - t0).count());
      ++calls;
    }
    double seen = slowest_call_ms;
    while (worst > seen && !slowest_call_ms.compare_exchange_weak(seen, worst)) {}
  };
  std::vector<double> swap_ms;
  {
    // One core stays free for the swapping thread: a caller the scheduler parks would show
    // up as a slow call that no swap caused.
    const unsigned callers = std::max(2u, std::thread::hardware_concurrency()) - 1;  // 0 when unknown
    std::vector<std::jthread> pool;
    for (unsigned i = 0; i < callers; ++i) pool.emplace_back(caller);
    for (std::uint32_t i = 0; i < f.swaps; ++i) {
      const auto t0 = clock_type::now();
      auto next = load_plugin(f.file, f.options);
      if (!next) {
        stop = true;
        return report(next.error());
      }
      s.swap(*next);
      swap_ms.push_back(std::chrono::duration<double, std::milli>(clock_type::now() - t0).count());
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    stop = true;
  }
  const double swap_median = median(swap_ms), swap_max = *std::max_element(swap_ms.begin(), swap_ms.end());
  const auto& m = (*p)->manifest();
  if (f.json) {
    nlohmann::json j = {{"plugin", m.name},          {"version", m.version},
                        {"score_ns", *score_ns},     {"answer_ns", *answer_ns},
                        {"swaps", f.swaps},          {"swap_median_ms", swap_median},
                        {"swap_max_ms", swap_max},   {"slowest_call_ms", slowest_call_ms.load()},
                        {"calls_during_swaps", calls.load()}, {"failed_calls", failed.load()}};
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    std::printf("synod bench plugin: %s %s (%s)\n", m.name.c_str(), m.version.c_str(), f.file.c_str());
    std::printf("one call through the ABI, FlatBuffers encode + verify + decode both ways, the plugin's\n"
                "own work included; median of 5 rounds (target: under 2 us on top of the plugin's work)\n");
    std::printf("  score   %9.0f ns/call   (request %zu + %zu + %zu payload bytes)\n", *score_ns, c->task.size(),
                c->reference.size(), a->size());
    std::printf("  answer  %9.0f ns/call\n", *answer_ns);
    std::printf("hot swap: load a fresh copy + swap, %u times, other threads calling score throughout\n", f.swaps);
    std::printf("  swap    median %.2f ms, max %.2f ms (target: under 10 ms)\n", swap_median, swap_max);
    std::printf("  calls   %llu during the swaps, %llu failed, slowest %.2f ms\n",
                static_cast<unsigned long long>(calls.load()), static_cast<unsigned long long>(failed.load()),
                slowest_call_ms.load());
  }
  return failed ? exit_error : exit_ok;
}

}  // namespace

result<sdk::options> parse_plugin_options(const plugin_option_flags& flags) {
  auto opts = plugin::parse_options(flags);
  if (!opts) return error(errc::bad_flag, "--" + opts.error().message());
  return opts;
}

result<std::shared_ptr<const plugin::plugin>> load_plugin(const std::string& file, const plugin_option_flags& flags) {
  auto opts = parse_plugin_options(flags);
  if (!opts) return std::move(opts).error();
  plugin::load_options o;
  o.options = std::move(*opts);
  return plugin::plugin::load(file, o);
}

void add_option_flag(CLI::App* cmd, plugin_option_flags& flags) {
  cmd->add_option("--option", flags, "KEY=VALUE for the plugin's factory (model size, ...); repeatable");
}

void add_plugin_commands(CLI::App& app, int& exit_code) {
  auto* plugin_cmd = app.add_subcommand("plugin", "subnet plugins: create, check, inspect, shadow-score");
  plugin_cmd->require_subcommand(1);

  struct new_flags {
    std::string name, dir;
  };
  auto nf = std::make_shared<new_flags>();
  auto* create = plugin_cmd->add_subcommand("new", "start a subnet plugin from the template");
  create->add_option("NAME", nf->name, "the plugin's name: a-z, 0-9, '_'")->required();
  create->add_option("DIR", nf->dir, "a new (or empty) folder for it")->required();
  create->callback([nf, &exit_code] { exit_code = run_new(nf->name, nf->dir); });

  struct check_flags {
    std::string file;
    plugin_option_flags options;
    std::uint32_t seeds = 8, garbage = 200;
  };
  auto cf = std::make_shared<check_flags>();
  auto* check = plugin_cmd->add_subcommand("check", "run the conformance suite on a plugin");
  check->add_option("FILE", cf->file, "the plugin's .so")->required();
  add_option_flag(check, cf->options);
  check->add_option("--seeds", cf->seeds, "challenge seeds to run (default 8)");
  check->add_option("--garbage", cf->garbage, "random buffers per call (default 200)");
  check->callback([cf, &exit_code] { exit_code = run_check(cf->file, cf->options, cf->seeds, cf->garbage); });

  struct info_flags {
    std::string file;
    plugin_option_flags options;
  };
  auto inf = std::make_shared<info_flags>();
  auto* info = plugin_cmd->add_subcommand("info", "load a plugin and print its manifest and content hash");
  info->add_option("FILE", inf->file, "the plugin's .so")->required();
  add_option_flag(info, inf->options);
  info->callback([inf, &exit_code] { exit_code = run_info(inf->file, inf->options); });

  add_shadow_commands(plugin_cmd, exit_code);

  auto sw = std::make_shared<swap_flags>();
  auto* swap = plugin_cmd->add_subcommand("swap", "load a new version into a plugin slot of a running node");
  swap->add_option("--name", sw->name, "the slot")->required();
  swap->add_option("--file", sw->file, "the new version's .so, on the node's machine")->required();
  swap->add_option("--hash", sw->hash, "refuse the file unless its blake2b-256 is this (hex)");
  swap->add_option("--cookie-file", sw->cookie_file, "the node's operator cookie (its banner says where)")->required();
  add_client_flags(swap, sw->client);
  swap->callback([sw, &exit_code] { exit_code = run_swap(*sw); });

  auto lf = std::make_shared<list_flags>();
  auto* list = plugin_cmd->add_subcommand("list", "the plugin slots of a running node");
  list->add_option("--cookie-file", lf->cookie_file, "the node's operator cookie (its banner says where)")->required();
  add_client_flags(list, lf->client);
  list->callback([lf, &exit_code] { exit_code = run_list(*lf); });

  CLI::App* bench = nullptr;
  for (auto* sub : app.get_subcommands([](CLI::App* a) { return a->get_name() == "bench"; })) bench = sub;
  if (bench != nullptr) {
    auto bf = std::make_shared<bench_flags>();
    auto* b = bench->add_subcommand("plugin", "cost of a call through the plugin ABI, and hot swap latency");
    b->add_option("--plugin", bf->file, "the plugin's .so")->required();
    add_option_flag(b, bf->options);
    b->add_option("--calls", bf->calls, "score calls timed (default 200000)");
    b->add_option("--swaps", bf->swaps, "hot swaps timed (default 20)")->check(CLI::Range(1u, 1000u));
    b->add_flag("--json", bf->json, "machine-readable output");
    b->callback([bf, &exit_code] { exit_code = run_bench(*bf); });
  }
}

}  // namespace synod::app
