// A small subnet plugin for the host's tests, built with the SDK's C++ layer: the task is a
// list of numbers made from the seed, the answer is their sum, the score falls with the error.
// Built twice (SUM_PLUGIN_VERSION "1.0.0" and "2.0.0"); every reply carries the version's
// major number, so a test can tell which version served a call.
//
// Options make it misbehave on purpose: fail=throw|bad_request|foreign (score throws a
// std::exception, a bad_request, or an int), sleep_ms=N (answer sleeps), score=N (score returns
// N, out of range for N > 1), error=N (answer adds N), big=N (answer is N bytes long).

#include <chrono>
#include <cstring>
#include <thread>

#include "synod/sdk/plugin.hpp"

#ifndef SUM_PLUGIN_VERSION
#define SUM_PLUGIN_VERSION "1.0.0"
#endif

namespace {

using namespace synod;

constexpr std::uint8_t major_version = SUM_PLUGIN_VERSION[0] - '0';

std::uint64_t read_u64(sdk::byte_span s, std::size_t at) {
  std::uint64_t v = 0;
  std::memcpy(&v, s.data() + at, 8);
  return v;
}

void put_u64(sdk::bytes& out, std::uint64_t v) {
  const auto* p = reinterpret_cast<const std::uint8_t*>(&v);
  out.insert(out.end(), p, p + 8);
}

class sum_plugin : public sdk::subnet_plugin {
 public:
  explicit sum_plugin(const sdk::options& o)
      : sleep_ms_(sdk::option_u64(o, "sleep_ms", 0, 0, 60'000)),
        score_(sdk::option_u64(o, "score", 0, 0, 100)),
        error_(sdk::option_u64(o, "error", 0)),
        big_(sdk::option_u64(o, "big", 0, 0, 1u << 26)) {
    if (auto it = o.find("fail"); it != o.end()) fail_ = it->second;
  }

  sdk::manifest manifest() const override {
    return {"sum", SUM_PLUGIN_VERSION, "adds numbers (host tests)", "sum.task/1", "sum.answer/1",
            {4096, 1u << 20, 500}};
  }

  // Task: [version][count u8][count x u64]; reference: [version][u64 sum].
  sdk::challenge_data challenge(std::uint64_t seed) override {
    sdk::challenge_data c;
    const std::uint8_t count = 1 + seed % 8;
    c.task = {major_version, count};
    std::uint64_t sum = 0, x = seed;
    for (std::uint8_t i = 0; i < count; ++i) {
      x = x * 6364136223846793005ULL + 1442695040888963407ULL;
      const std::uint64_t v = x >> 40;
      put_u64(c.task, v);
      sum += v;
    }
    c.reference = {major_version};
    put_u64(c.reference, sum);
    return c;
  }

  // Answer: [version][u64 sum].
  sdk::bytes answer(sdk::byte_span task) override {
    if (sleep_ms_) std::this_thread::sleep_for(std::chrono::milliseconds(sleep_ms_));
    if (big_) return sdk::bytes(big_, 7);
    if (task.size() < 2 || task.size() != 2 + 8u * task[1]) throw sdk::bad_request("task has the wrong length");
    std::uint64_t sum = error_;
    for (std::size_t i = 0; i < task[1]; ++i) sum += read_u64(task, 2 + 8 * i);
    sdk::bytes out{major_version};
    put_u64(out, sum);
    return out;
  }

  double score(sdk::byte_span, sdk::byte_span reference, sdk::byte_span answer) override {
    if (fail_ == "throw") throw std::runtime_error("scoring exploded");
    if (fail_ == "bad_request") throw sdk::bad_request("this reply makes no sense");
    if (fail_ == "foreign") throw 42;
    if (score_) return static_cast<double>(score_);
    if (reference.size() != 9 || answer.size() != 9) throw sdk::bad_request("reference and answer are 9 bytes");
    // A reply from another version is worth nothing: the test sees it as a mixed call.
    if (answer[0] != major_version || reference[0] != major_version) return 0.0;
    const auto want = read_u64(reference, 1), got = read_u64(answer, 1);
    const double err = static_cast<double>(want > got ? want - got : got - want);
    return 1.0 / (1.0 + err);
  }

  bool has_aggregate() const override { return true; }

  // The answer with the most weight behind it.
  sdk::bytes aggregate(sdk::byte_span, std::span<const sdk::weighted_answer> answers) override {
    if (answers.empty()) throw sdk::bad_request("no answers to aggregate");
    const sdk::weighted_answer* best = &answers[0];
    for (const auto& a : answers)
      if (a.weight > best->weight) best = &a;
    return {best->answer.begin(), best->answer.end()};
  }

 private:
  std::uint64_t sleep_ms_, score_, error_, big_;
  std::string fail_;
};

}  // namespace

SYNOD_PLUGIN(sum_plugin);
