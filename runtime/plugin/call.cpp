// The four calls: build the request, call through the C table, check the reply against the
// plugin's limits and the verifier, read it, release it.

#include <chrono>
#include <cmath>

#include "plugin_impl.hpp"
#include "synod/plugin/errc.hpp"

namespace synod::plugin {
namespace {

using clock_type = std::chrono::steady_clock;
namespace msg = sdk::msg;

// One builder per thread, reused: a call allocates nothing for its request once warm.
flatbuffers::FlatBufferBuilder& request_builder() {
  thread_local flatbuffers::FlatBufferBuilder fbb(1024);
  fbb.Clear();
  return fbb;
}

flatbuffers::Offset<flatbuffers::Vector<std::uint8_t>> vec(flatbuffers::FlatBufferBuilder& fbb, byte_view v) {
  return fbb.CreateVector(v.data(), v.size());
}

bytes copy_of(const flatbuffers::Vector<std::uint8_t>* v) { return {v->begin(), v->end()}; }

// Calls `fn` with the finished request and hands the verified Reply to `read`.
template <class Reply, class Read>
auto invoke(const plugin::impl& p, synod_call_fn fn, const char* call, const char* reply_name,
            flatbuffers::FlatBufferBuilder& fbb, Read read) -> result<decltype(read(std::declval<const Reply&>()))> {
  const sdk::limits& lim = p.manifest.limits;
  auto who = [&] { return plugin::label_of(p.manifest) + ": " + call; };  // errors only
  if (fbb.GetSize() > lim.max_request_bytes)
    return error(errc::bad_request, who() + " request of " + std::to_string(fbb.GetSize()) +
                                        " bytes is over the plugin's limit of " +
                                        std::to_string(lim.max_request_bytes));
  synod_reply r{};
  const auto start = clock_type::now();
  const auto st = static_cast<int>(fn(p.instance, fbb.GetBufferPointer(), fbb.GetSize(), &r));
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now() - start);
  detail::reply_guard guard(r);
  // Too slow is a fault whatever the plugin answered.
  if (took.count() > lim.deadline_ms)
    return error(errc::deadline_exceeded, who() + " took " + std::to_string(took.count()) +
                                              " ms, over the plugin's deadline of " +
                                              std::to_string(lim.deadline_ms) + " ms; its reply is dropped");
  switch (st) {
    case SYNOD_OK: break;
    case SYNOD_BAD_REQUEST: return error(errc::bad_request, who() + " refused the request: " + detail::reply_text(r));
    case SYNOD_FAILED: return error(errc::call_failed, who() + " failed: " + detail::reply_text(r));
    case SYNOD_UNSUPPORTED: return error(errc::unsupported, who() + " is not supported: " + detail::reply_text(r));
    default: return error(errc::bad_reply, who() + " returned an unknown status " + std::to_string(st));
  }
  if (r.size > lim.max_reply_bytes)
    return error(errc::reply_too_large, who() + " replied with " + std::to_string(r.size) +
                                            " bytes, over the plugin's limit of " +
                                            std::to_string(lim.max_reply_bytes));
  thread_local std::vector<std::uint64_t> storage;  // for a reply at a misaligned address
  const byte_view buf = detail::aligned_reply(r, storage);
  flatbuffers::Verifier v(buf.data(), buf.size());
  if (buf.empty() || !v.VerifyBuffer<Reply>(nullptr))
    return error(errc::bad_reply, who() + " replied with " + std::to_string(r.size) +
                                      " bytes that are not a valid " + reply_name + " message");
  return read(*flatbuffers::GetRoot<Reply>(buf.data()));
}

}  // namespace

namespace detail {

raw_reply call_raw(const plugin::impl& p, call_kind call, byte_view request) {
  synod_plugin* self = p.instance;
  synod_call_fn fn = call == call_kind::challenge ? self->challenge
                     : call == call_kind::answer  ? self->answer
                     : call == call_kind::score   ? self->score
                                                  : self->aggregate;
  if (fn == nullptr) return {SYNOD_UNSUPPORTED, {}};
  synod_reply r{};
  const int st = static_cast<int>(fn(self, request.data(), request.size(), &r));
  reply_guard guard(r);
  raw_reply out{st, {}};
  if (r.data != nullptr) out.data.assign(r.data, r.data + r.size);
  return out;
}

}  // namespace detail

result<sdk::challenge_data> plugin::challenge(std::uint64_t seed) const {
  auto& fbb = request_builder();
  fbb.Finish(msg::CreateChallengeRequest(fbb, seed));
  return invoke<msg::Challenge>(*impl_, impl_->instance->challenge, "challenge", "Challenge", fbb,
                                [](const msg::Challenge& c) {
                                  return sdk::challenge_data{copy_of(c.task()), copy_of(c.reference())};
                                });
}

result<bytes> plugin::answer(byte_view task) const {
  auto& fbb = request_builder();
  fbb.Finish(msg::CreateAnswerRequest(fbb, vec(fbb, task)));
  return invoke<msg::Answer>(*impl_, impl_->instance->answer, "answer", "Answer", fbb,
                             [](const msg::Answer& a) { return copy_of(a.answer()); });
}

result<double> plugin::score(byte_view task, byte_view reference, byte_view answer) const {
  auto& fbb = request_builder();
  auto t = vec(fbb, task), r = vec(fbb, reference), a = vec(fbb, answer);
  fbb.Finish(msg::CreateScoreRequest(fbb, t, r, a));
  auto s = invoke<msg::Score>(*impl_, impl_->instance->score, "score", "Score", fbb,
                              [](const msg::Score& m) { return m.score(); });
  if (s && !(*s >= 0.0 && *s <= 1.0))  // NaN too
    return error(errc::bad_reply, label() + ": score " + std::to_string(*s) + " is outside [0, 1]");
  return s;
}

result<bytes> plugin::aggregate(byte_view task, std::span<const sdk::weighted_answer> answers) const {
  if (!impl_->has_aggregate)
    return error(errc::unsupported, label() + " has no aggregate");
  auto& fbb = request_builder();
  std::vector<flatbuffers::Offset<msg::WeightedAnswer>> list;
  list.reserve(answers.size());
  for (const auto& a : answers) list.push_back(msg::CreateWeightedAnswer(fbb, vec(fbb, a.answer), a.weight));
  auto t = vec(fbb, task);
  fbb.Finish(msg::CreateAggregateRequest(fbb, t, fbb.CreateVector(list)));
  return invoke<msg::Answer>(*impl_, impl_->instance->aggregate, "aggregate", "Answer", fbb,
                             [](const msg::Answer& a) { return copy_of(a.answer()); });
}

}  // namespace synod::plugin
