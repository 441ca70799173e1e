#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "plugin_paths.hpp"
#include "synod/crypto/hash.hpp"
#include "synod/plugin/errc.hpp"
#include "synod/plugin/guarded.hpp"
#include "synod/plugin/plugin.hpp"

namespace synod::plugin::testing {
namespace {

namespace fs = std::filesystem;

std::shared_ptr<const plugin> must_load(const fs::path& file, const load_options& o = {}) {
  auto p = plugin::load(file, o);
  if (!p) ADD_FAILURE() << p.error().to_string();
  return p ? *p : nullptr;
}

template <class T>
void expect_error(const result<T>& r, errc code, const std::string& fragment) {
  ASSERT_FALSE(r) << "expected a plugin error";
  EXPECT_TRUE(r.error().is(code)) << r.error().to_string();
  EXPECT_NE(r.error().message().find(fragment), std::string::npos) << r.error().to_string();
}

load_options with(sdk::options o) {
  load_options l;
  l.options = std::move(o);
  return l;
}

load_options expecting(std::string name, std::string version) {
  load_options l;
  l.expect.name = std::move(name);
  l.expect.version = std::move(version);
  return l;
}

bytes read_file(const fs::path& f) {
  std::ifstream in(f, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(PluginHost, LoadsAndRunsEveryCall) {
  auto p = must_load(paths::sum_v1);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->manifest().name, "sum");
  EXPECT_EQ(p->manifest().version, "1.0.0");
  EXPECT_EQ(p->manifest().limits.deadline_ms, 500u);
  EXPECT_TRUE(p->has_aggregate());
  EXPECT_EQ(p->content_hash(), crypto::blake2b_256(read_file(paths::sum_v1)));

  auto c = p->challenge(12345);
  ASSERT_TRUE(c) << c.error().to_string();
  auto a = p->answer(c->task);
  ASSERT_TRUE(a) << a.error().to_string();
  auto s = p->score(c->task, c->reference, *a);
  ASSERT_TRUE(s) << s.error().to_string();
  EXPECT_EQ(*s, 1.0);  // the exact sum

  // Deterministic for a seed, different across seeds.
  EXPECT_EQ(p->challenge(12345)->task, c->task);
  EXPECT_NE(p->challenge(12346)->task, c->task);

  const bytes good = *a, bad = *must_load(paths::sum_v1, with({{"error", "3"}}))->answer(c->task);
  EXPECT_EQ(*p->score(c->task, c->reference, bad), 0.25);  // 1 / (1 + 3)
  const sdk::weighted_answer answers[] = {{bad, 0.2}, {good, 0.7}, {bad, 0.1}};
  EXPECT_EQ(*p->aggregate(c->task, answers), good);
}

TEST(PluginHost, AFileThatDoesNotHashAsExpectedNeverRuns) {
  fs::remove(paths::raw_marker_file);
  load_options o;
  o.expect.content_hash = crypto::blake2b_256(read_file(paths::sum_v1));
  expect_error(plugin::load(paths::raw_marker, o), errc::hash_mismatch, "expected");
  EXPECT_FALSE(fs::exists(paths::raw_marker_file)) << "the refused plugin's constructor ran";
  // The marker does appear when the same file is let in: the test can see code run.
  o.expect.content_hash = crypto::blake2b_256(read_file(paths::raw_marker));
  EXPECT_TRUE(plugin::load(paths::raw_marker, o));
  EXPECT_TRUE(fs::exists(paths::raw_marker_file));
  fs::remove(paths::raw_marker_file);
}

TEST(PluginHost, ExpectationsAreCheckedBeforeAnyCodeRuns) {
  load_options o;
  o.expect.content_hash = crypto::blake2b_256(read_file(paths::sum_v2));
  expect_error(plugin::load(paths::sum_v1, o), errc::hash_mismatch, "expected " + o.expect.content_hash->hex());
  EXPECT_TRUE(plugin::load(paths::sum_v2, o));

  expect_error(plugin::load(paths::sum_v1, expecting("forecast", "")), errc::bad_manifest,
               "is 'sum', expected 'forecast'");
  expect_error(plugin::load(paths::sum_v1, expecting("", "2.0.0")), errc::bad_manifest,
               "is version 1.0.0, expected 2.0.0");
  EXPECT_TRUE(plugin::load(paths::sum_v1, expecting("sum", "1.0.0")));
}

TEST(PluginHost, EachLoadFailureNamesWhatFailed) {
  expect_error(plugin::load("/nonexistent/sum.so"), errc::cannot_open, "does not exist");
  const fs::path not_elf = fs::temp_directory_path() / "synod-plugin-test-not-elf.so";
  std::ofstream(not_elf) << "this is not a shared object";
  expect_error(plugin::load(not_elf), errc::cannot_open, "cannot load plugin");
  fs::remove(not_elf);
  expect_error(plugin::load(paths::raw_no_factory), errc::symbol_missing, "exports no synod_plugin_create");
  expect_error(plugin::load(paths::raw_wrong_abi), errc::abi_mismatch,
               "built for ABI version 2, this host speaks 1");
  expect_error(plugin::load(paths::raw_missing_call), errc::abi_mismatch, "has no score call");
  expect_error(plugin::load(paths::raw_bad_manifest), errc::bad_manifest, "may hold only a-z");
  // The plugin's reason, with its control characters made harmless.
  expect_error(plugin::load(paths::raw_null_create), errc::creation_failed, "no GPU here?(and none expected)");
  expect_error(plugin::load(paths::sum_v1, with({{"sleep_ms", "soon"}})), errc::creation_failed,
               "option sleep_ms='soon' must be a whole number");
}

TEST(PluginHost, GarbageRepliesAreRefusedNotRead) {
  auto p = must_load(paths::raw_garbage);
  ASSERT_TRUE(p);
  expect_error(p->challenge(1), errc::bad_reply, "not a valid Challenge message");
  expect_error(p->answer(bytes{1, 2}), errc::bad_reply, "not a valid Answer message");
  expect_error(p->score(bytes{1}, bytes{2}, bytes{3}), errc::bad_reply, "not a valid Score message");
  expect_error(p->aggregate(bytes{1}, {}), errc::unsupported, "has no aggregate");
}

TEST(PluginHost, LimitsAndDeadlinesHold) {
  expect_error(must_load(paths::raw_oversize)->challenge(1), errc::reply_too_large, "over the plugin's limit of 1024");
  auto sum = must_load(paths::sum_v1);
  expect_error(sum->answer(bytes(5000, 1)), errc::bad_request, "request of");
  auto big = must_load(paths::sum_v1, with({{"big", std::to_string(2u << 20)}}));
  expect_error(big->answer(bytes{1, 0}), errc::reply_too_large, "over the plugin's limit");
  auto slow = must_load(paths::sum_v1, with({{"sleep_ms", "700"}}));
  expect_error(slow->answer(bytes{1, 0}), errc::deadline_exceeded, "over the plugin's deadline of 500 ms");
}

TEST(PluginHost, ThrowingPluginsAreContained) {
  auto c = *must_load(paths::sum_v1)->challenge(7);
  expect_error(must_load(paths::sum_v1, with({{"fail", "throw"}}))->score(c.task, c.reference, c.reference),
               errc::call_failed, "scoring exploded");
  expect_error(must_load(paths::sum_v1, with({{"fail", "bad_request"}}))->score(c.task, c.reference, c.reference),
               errc::bad_request, "this reply makes no sense");
  expect_error(must_load(paths::sum_v1, with({{"fail", "foreign"}}))->score(c.task, c.reference, c.reference),
               errc::call_failed, "not a std::exception");
  expect_error(must_load(paths::sum_v1, with({{"score", "2"}}))->score(c.task, c.reference, c.reference),
               errc::call_failed, "outside [0, 1]");
  // A malformed task is the plugin's to refuse, with its reason.
  expect_error(must_load(paths::sum_v1)->answer(bytes{1, 3, 0}), errc::bad_request, "wrong length");
}

TEST(PluginHost, AGuardedCallThatHangsCostsItsCallerOnlyTheDeadline) {
  auto answer = [](const plugin& p) { return p.answer(bytes{1, 0}); };
  auto quick = call_guarded(must_load(paths::sum_v1), answer);
  ASSERT_TRUE(quick) << quick.error().to_string();
  EXPECT_EQ(quick->size(), 9u);

  const auto start = std::chrono::steady_clock::now();
  auto hung = call_guarded(must_load(paths::sum_v1, with({{"sleep_ms", "5000"}})), answer);
  const auto waited = std::chrono::steady_clock::now() - start;
  expect_error(hung, errc::deadline_exceeded, "no answer within 550 ms; the call is abandoned");
  EXPECT_LT(waited, std::chrono::milliseconds(2500));  // the deadline, not the plugin's 5 s
}

}  // namespace
}  // namespace synod::plugin::testing
