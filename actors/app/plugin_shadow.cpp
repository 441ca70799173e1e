// `synod plugin record` and `synod plugin shadow`: shadow scoring. Record miners' replies to a
// plugin's tasks once, then score the same replies with the pinned scoring plugin and with a
// candidate, and print what each miner's score and weight would be under both. Nothing
// touches the chain: researchers run it before proposing a swap.

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>

#include "cli_errc.hpp"
#include "commands.hpp"
#include "plugin_cmd.hpp"
#include "synod/schemas/plugin_generated.h"

namespace synod::app {
namespace {

namespace msg = sdk::msg;

// ---- plugin record ------------------------------------------------------------------------

// Replies in one file: shadow reads it with the verifier's table limit raised to fit.
constexpr std::uint64_t max_recorded = 200'000;

struct record_flags {
  std::string file, out;
  plugin_option_flags options;             // for the validator's instance (challenges)
  std::vector<std::string> miner_options;  // MINER:KEY=VALUE
  std::uint32_t miners = 4, tasks = 16;
  std::uint64_t seed = 1;
};

int run_record(const record_flags& f) {
  auto validator = load_plugin(f.file, f.options);
  if (!validator) return report(validator.error());
  // One instance per miner, each with its own options (model size, training budget, ...).
  std::vector<plugin_option_flags> per_miner(f.miners);
  if (static_cast<std::uint64_t>(f.miners) * f.tasks > max_recorded)
    return report(error(errc::bad_flag, "--miners x --tasks is " + std::to_string(std::uint64_t{f.miners} * f.tasks) +
                                            " replies; one file holds at most " + std::to_string(max_recorded)));
  for (const auto& mo : f.miner_options) {
    auto colon = mo.find(':');
    std::uint32_t m = f.miners;  // invalid unless the digits say otherwise
    if (colon != std::string::npos && colon > 0 && colon <= 4 &&
        std::all_of(mo.begin(), mo.begin() + static_cast<std::ptrdiff_t>(colon), [](char c) { return c >= '0' && c <= '9'; }))
      m = static_cast<std::uint32_t>(std::stoul(mo.substr(0, colon)));
    if (m >= f.miners)
      return report(error(errc::bad_flag, "--miner-option wants MINER:KEY=VALUE with MINER below " +
                                              std::to_string(f.miners) + ", got '" + mo + "'"));
    per_miner[m].push_back(mo.substr(colon + 1));
  }
  std::vector<std::shared_ptr<const plugin::plugin>> miners;
  for (std::uint32_t m = 0; m < f.miners; ++m) {
    auto p = load_plugin(f.file, per_miner[m]);
    if (!p) return report(p.error().with_context("miner " + std::to_string(m)));
    miners.push_back(*p);
  }
  flatbuffers::FlatBufferBuilder fbb;
  std::vector<flatbuffers::Offset<msg::RecordedReply>> replies;
  std::size_t refused = 0;
  for (std::uint32_t t = 0; t < f.tasks; ++t) {
    auto c = (*validator)->challenge(f.seed + t);
    if (!c) return report(c.error());
    // Stored once per task, shared by every miner's reply (FlatBuffers offsets may repeat).
    const auto task = fbb.CreateVector(c->task), reference = fbb.CreateVector(c->reference);
    for (std::uint32_t m = 0; m < f.miners; ++m) {
      auto a = miners[m]->answer(c->task);
      if (!a) {  // a miner that fails a task has no reply to score: it is simply not recorded
        ++refused;
        continue;
      }
      replies.push_back(msg::CreateRecordedReply(fbb, m, task, reference, fbb.CreateVector(*a)));
    }
  }
  const auto& man = (*validator)->manifest();
  fbb.Finish(msg::CreateReplyLog(fbb, fbb.CreateString(man.name), fbb.CreateString(man.version),
                                 fbb.CreateString(man.answer_format), fbb.CreateVector(replies)));
  std::ofstream out(f.out, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(fbb.GetBufferPointer()), static_cast<std::streamsize>(fbb.GetSize()));
  if (!out) return report(error(errc::unreadable_file, "cannot write " + f.out));
  std::printf("recorded %zu replies of %u miners to %u tasks of %s %s in %s", replies.size(), f.miners, f.tasks,
              man.name.c_str(), man.version.c_str(), f.out.c_str());
  std::printf(refused ? " (%zu answers failed and are not recorded)\n" : "\n", refused);
  return exit_ok;
}

// ---- plugin shadow ------------------------------------------------------------------------

struct shadow_flags {
  std::string pinned, candidate, replies;
  plugin_option_flags pinned_options, candidate_options;
  bool json = false;
};

struct miner_tally {
  std::uint32_t replies = 0;
  double sum[2] = {0, 0};     // pinned, candidate
  std::uint32_t failed[2] = {0, 0};
};

// Weights as a validator would set them: each miner's mean score, max-upscaled to u16.
std::vector<std::uint16_t> weights_of(const std::vector<double>& means) {
  const double top = means.empty() ? 0 : *std::max_element(means.begin(), means.end());
  std::vector<std::uint16_t> out;
  for (double m : means) out.push_back(top > 0 ? static_cast<std::uint16_t>(std::llround(m / top * 65535.0)) : 0);
  return out;
}

int run_shadow(const shadow_flags& f) {
  std::ifstream in(f.replies, std::ios::binary);
  if (!in) return report(error(errc::unreadable_file, "cannot read the recorded replies " + f.replies));
  const bytes data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // Four tables per reply at most; the verifier's default limit (a million) would refuse a
  // large file that record wrote.
  flatbuffers::Verifier v(data.data(), data.size(), 64, 4 * max_recorded + 16);
  if (!v.VerifyBuffer<msg::ReplyLog>(nullptr))
    return report(error(errc::unreadable_file, f.replies + " is not a file of recorded replies (synod plugin record)"));
  const auto* log = flatbuffers::GetRoot<msg::ReplyLog>(data.data());
  std::shared_ptr<const plugin::plugin> scorers[2];
  const std::string* names[2] = {&f.pinned, &f.candidate};
  const plugin_option_flags* opts[2] = {&f.pinned_options, &f.candidate_options};
  for (int k = 0; k < 2; ++k) {
    auto p = load_plugin(*names[k], *opts[k]);
    if (!p) return report(p.error());
    if ((*p)->manifest().answer_format != log->answer_format()->str())
      return report(error(errc::bad_flag, *names[k] + " reads answers of format '" + (*p)->manifest().answer_format +
                                              "', the replies are '" + log->answer_format()->str() + "'"));
    scorers[k] = *p;
  }
  std::map<std::uint32_t, miner_tally> tally;
  std::string first_failure[2];
  for (const auto* r : *log->replies()) {
    const byte_view task(r->task()->data(), r->task()->size()), ref(r->reference()->data(), r->reference()->size()),
        answer(r->answer()->data(), r->answer()->size());
    auto& t = tally[r->miner()];
    ++t.replies;
    for (int k = 0; k < 2; ++k) {
      auto s = scorers[k]->score(task, ref, answer);
      if (s) {
        t.sum[k] += *s;
      } else {  // a reply the scorer cannot score earns nothing under it
        ++t.failed[k];
        if (first_failure[k].empty()) first_failure[k] = s.error().to_string();
      }
    }
  }
  std::vector<std::uint32_t> uids;
  std::vector<double> mean[2];
  for (const auto& [uid, t] : tally) {
    uids.push_back(uid);
    for (int k = 0; k < 2; ++k) mean[k].push_back(t.replies ? t.sum[k] / t.replies : 0.0);
  }
  const auto w_pinned = weights_of(mean[0]), w_candidate = weights_of(mean[1]);
  if (f.json) {
    nlohmann::json rows = nlohmann::json::array();
    for (std::size_t i = 0; i < uids.size(); ++i)
      rows.push_back({{"miner", uids[i]}, {"replies", tally[uids[i]].replies},
                      {"pinned_score", mean[0][i]}, {"pinned_weight", w_pinned[i]},
                      {"candidate_score", mean[1][i]}, {"candidate_weight", w_candidate[i]},
                      {"weight_change", static_cast<int>(w_candidate[i]) - static_cast<int>(w_pinned[i])},
                      {"pinned_failures", tally[uids[i]].failed[0]}, {"candidate_failures", tally[uids[i]].failed[1]}});
    nlohmann::json j = {{"pinned", scorers[0]->manifest().name + " " + scorers[0]->manifest().version},
                        {"candidate", scorers[1]->manifest().name + " " + scorers[1]->manifest().version},
                        {"replies", log->replies()->size()}, {"miners", rows}};
    std::printf("%s\n", j.dump(2).c_str());
    return exit_ok;
  }
  std::printf("shadow scoring %u recorded replies (%s %s tasks)\n", log->replies()->size(), log->plugin()->c_str(),
              log->version()->c_str());
  std::printf("  pinned    %s %s  (%s)\n  candidate %s %s  (%s)\n", scorers[0]->manifest().name.c_str(),
              scorers[0]->manifest().version.c_str(), f.pinned.c_str(), scorers[1]->manifest().name.c_str(),
              scorers[1]->manifest().version.c_str(), f.candidate.c_str());
  std::printf("weights: each miner's mean score, max-upscaled to u16 as set_weights stores them\n\n");
  std::printf("%6s %7s  %12s %8s  %12s %8s  %8s\n", "miner", "replies", "pinned score", "weight", "cand. score",
              "weight", "change");
  for (std::size_t i = 0; i < uids.size(); ++i)
    std::printf("%6u %7u  %12.6f %8u  %12.6f %8u  %+8d\n", uids[i], tally[uids[i]].replies, mean[0][i], w_pinned[i],
                mean[1][i], w_candidate[i], static_cast<int>(w_candidate[i]) - static_cast<int>(w_pinned[i]));
  for (int k = 0; k < 2; ++k)
    if (!first_failure[k].empty())
      std::printf("\nnote: the %s scorer could not score some replies (scored 0), first: %s\n",
                  k == 0 ? "pinned" : "candidate", first_failure[k].c_str());
  return exit_ok;
}

}  // namespace

void add_shadow_commands(CLI::App* plugin_cmd, int& exit_code) {
  auto rf = std::make_shared<record_flags>();
  auto* record = plugin_cmd->add_subcommand("record", "record miners' replies to a plugin's tasks, for shadow scoring");
  record->add_option("--plugin", rf->file, "the subnet plugin (makes the tasks; each miner runs an instance)")->required();
  record->add_option("--out", rf->out, "the file to write")->required();
  record->add_option("--miners", rf->miners, "simulated miners (default 4)")->check(CLI::Range(1u, 4096u));
  record->add_option("--tasks", rf->tasks, "tasks, each answered by every miner (default 16)")->check(CLI::Range(1u, 100000u));
  record->add_option("--seed", rf->seed, "seed of the first task (default 1)");
  add_option_flag(record, rf->options);
  record->add_option("--miner-option", rf->miner_options, "MINER:KEY=VALUE for one miner's instance; repeatable");
  record->callback([rf, &exit_code] { exit_code = run_record(*rf); });

  auto sf = std::make_shared<shadow_flags>();
  auto* shadow = plugin_cmd->add_subcommand(
      "shadow", "score recorded replies with the pinned and a candidate scoring plugin, side by side");
  shadow->add_option("--pinned", sf->pinned, "the scoring plugin in use")->required();
  shadow->add_option("--candidate", sf->candidate, "the scoring plugin proposed")->required();
  shadow->add_option("--replies", sf->replies, "recorded replies (synod plugin record)")->required();
  shadow->add_option("--pinned-option", sf->pinned_options, "KEY=VALUE for the pinned plugin; repeatable");
  shadow->add_option("--candidate-option", sf->candidate_options, "KEY=VALUE for the candidate; repeatable");
  shadow->add_flag("--json", sf->json, "machine-readable output");
  shadow->callback([sf, &exit_code] { exit_code = run_shadow(*sf); });
}

}  // namespace synod::app
