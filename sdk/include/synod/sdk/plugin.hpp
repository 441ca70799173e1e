#pragma once
// The C++ layer over abi.h, header-only. A subnet plugin derives from sdk::subnet_plugin,
// implements its calls with plain C++ types and exports the class with one macro:
//
//   class my_subnet : public synod::sdk::subnet_plugin { ... };
//   SYNOD_PLUGIN(my_subnet)
//
// The layer verifies every request, builds every reply, and turns any exception into a status
// and a message: sdk::bad_request means "this request is not one I accept", anything else
// means "I could not do the work". Nothing thrown ever crosses the C boundary.

#include <cmath>
#include <cstdint>
#include <exception>
#include <map>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "synod/schemas/plugin_generated.h"
#include "synod/sdk/abi.h"

namespace synod::sdk {

using bytes = std::vector<std::uint8_t>;
using byte_span = std::span<const std::uint8_t>;
/// Creation options (the host's Config message): model size, training budget, ...
using options = std::map<std::string, std::string, std::less<>>;

struct limits {
  std::uint32_t max_request_bytes = 1u << 20;
  std::uint32_t max_reply_bytes = 1u << 20;
  std::uint32_t deadline_ms = 1000;
};

struct manifest {
  std::string name;     ///< [a-z0-9_-]{1,64}
  std::string version;  ///< MAJOR.MINOR.PATCH
  std::string description;
  std::string task_format;    ///< names the task payload's format, e.g. "forecast.task/1"
  std::string answer_format;  ///< names the answer payload's format
  sdk::limits limits;
};

/// What challenge() makes: the task miners see, and the reference only the validator keeps.
struct challenge_data {
  bytes task;
  bytes reference;
};

/// One miner's answer with its standing (e.g. its incentive), for aggregate().
struct weighted_answer {
  byte_span answer;
  double weight = 0;
};

/// Throw it for a request the plugin does not accept: the host gets SYNOD_BAD_REQUEST.
class bad_request : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class subnet_plugin {
 public:
  virtual ~subnet_plugin() = default;

  virtual sdk::manifest manifest() const = 0;
  /// Validator side: a task and its hidden reference, a pure function of the seed.
  virtual challenge_data challenge(std::uint64_t seed) = 0;
  /// Miner side: the AI work.
  virtual bytes answer(byte_span task) = 0;
  /// Validator side: how good `answer` is against `reference`, in [0, 1].
  virtual double score(byte_span task, byte_span reference, byte_span answer) = 0;
  /// Optional: the mixture of several miners' answers. Override both or neither.
  virtual bool has_aggregate() const { return false; }
  virtual bytes aggregate(byte_span /*task*/, std::span<const weighted_answer> /*answers*/) {
    throw std::logic_error("aggregate is not implemented");
  }
};

/// A plugin or slot name: 1 to 64 of a-z, 0-9, '_' and '-'.
inline bool valid_name(std::string_view n) {
  if (n.empty() || n.size() > 64) return false;
  for (char c : n)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
  return true;
}

/// Empty when `m` is a manifest the host accepts, else what is wrong with it.
inline std::string check_manifest(const manifest& m) {
  if (m.name.empty() || m.name.size() > 64)
    return "name must be 1 to 64 characters, got " + std::to_string(m.name.size());
  if (!valid_name(m.name)) return "name '" + m.name + "' may hold only a-z, 0-9, '_' and '-'";
  // MAJOR.MINOR.PATCH, each a decimal number.
  int parts = 0;
  std::size_t digits = 0;
  for (char c : m.version + ".") {
    if (c == '.') {
      if (digits == 0 || digits > 9) return "version '" + m.version + "' is not MAJOR.MINOR.PATCH";
      ++parts;
      digits = 0;
    } else if (c >= '0' && c <= '9') {
      ++digits;
    } else {
      return "version '" + m.version + "' is not MAJOR.MINOR.PATCH";
    }
  }
  if (parts != 3) return "version '" + m.version + "' is not MAJOR.MINOR.PATCH";
  if (m.limits.max_request_bytes == 0) return "limits.max_request_bytes is 0; it must be above zero";
  if (m.limits.max_reply_bytes == 0) return "limits.max_reply_bytes is 0; it must be above zero";
  if (m.limits.deadline_ms == 0) return "limits.deadline_ms is 0; it must be above zero";
  return {};
}

/// An unsigned option, or `fallback` when it is absent. Throws std::invalid_argument naming
/// the key when the value is not a number in [min, max]: creation then fails with that reason.
inline std::uint64_t option_u64(const options& opts, std::string_view key, std::uint64_t fallback,
                                std::uint64_t min = 0, std::uint64_t max = ~std::uint64_t{0}) {
  auto it = opts.find(key);
  if (it == opts.end()) return fallback;
  const std::string& text = it->second;
  std::uint64_t v = 0;
  bool ok = !text.empty() && text.size() <= 19;
  for (char c : text) {
    if (c < '0' || c > '9') ok = false;
    else v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (!ok || v < min || v > max)
    throw std::invalid_argument("option " + std::string(key) + "='" + text +
                                "' must be a whole number in [" + std::to_string(min) + ", " +
                                std::to_string(max) + "]");
  return v;
}

namespace detail {

inline void release_buffer(synod_reply* r) noexcept {
  delete static_cast<flatbuffers::DetachedBuffer*>(r->context);
  *r = synod_reply{nullptr, 0, nullptr, nullptr};
}

inline void release_text(synod_reply* r) noexcept {
  delete static_cast<std::string*>(r->context);
  *r = synod_reply{nullptr, 0, nullptr, nullptr};
}

inline void reply_with(synod_reply* r, flatbuffers::FlatBufferBuilder& fbb) {
  auto* buf = new flatbuffers::DetachedBuffer(fbb.Release());
  *r = synod_reply{buf->data(), buf->size(), &release_buffer, buf};
}

// Never throws: a message that cannot be allocated is left empty.
inline void reply_text(synod_reply* r, std::string_view text) noexcept {
  try {
    auto* s = new std::string(text);
    *r = synod_reply{reinterpret_cast<const std::uint8_t*>(s->data()), s->size(), &release_text, s};
  } catch (...) {
    *r = synod_reply{nullptr, 0, nullptr, nullptr};
  }
}

template <class Fn>
synod_status guarded(synod_reply* reply, Fn&& fn) noexcept {
  try {
    return fn();
  } catch (const bad_request& e) {
    reply_text(reply, e.what());
    return SYNOD_BAD_REQUEST;
  } catch (const std::exception& e) {
    reply_text(reply, e.what());
    return SYNOD_FAILED;
  } catch (...) {
    reply_text(reply, "the plugin threw something that is not a std::exception");
    return SYNOD_FAILED;
  }
}

template <class Msg>
const Msg* verified(const std::uint8_t* data, std::size_t size, const char* what) {
  if (data == nullptr && size != 0) throw bad_request(std::string("null ") + what);
  flatbuffers::Verifier v(data, size);
  if (size == 0 || !v.VerifyBuffer<Msg>(nullptr))
    throw bad_request(std::string("request is not a valid ") + what + " message");
  return flatbuffers::GetRoot<Msg>(data);
}

inline byte_span span_of(const flatbuffers::Vector<std::uint8_t>* v) {
  return {v->data(), v->size()};
}

inline void reply_answer(synod_reply* reply, const bytes& answer) {
  flatbuffers::FlatBufferBuilder fbb(answer.size() + 64);
  fbb.Finish(msg::CreateAnswer(fbb, fbb.CreateVector(answer)));
  reply_with(reply, fbb);
}

// The C struct first, so the host's synod_plugin* is this adapter's address.
template <class Plugin>
struct adapter {
  synod_plugin c;
  Plugin* impl;

  static Plugin& self(synod_plugin* p) { return *reinterpret_cast<adapter*>(p)->impl; }

  static synod_status manifest(synod_plugin* p, synod_reply* reply) noexcept {
    return guarded(reply, [&] {
      const sdk::manifest m = self(p).manifest();
      flatbuffers::FlatBufferBuilder fbb(512);
      auto lim = msg::CreateLimits(fbb, m.limits.max_request_bytes, m.limits.max_reply_bytes,
                                   m.limits.deadline_ms);
      fbb.Finish(msg::CreateManifestDirect(fbb, m.name.c_str(), m.version.c_str(),
                                           SYNOD_PLUGIN_ABI_VERSION, m.description.c_str(),
                                           m.task_format.c_str(), m.answer_format.c_str(), lim,
                                           self(p).has_aggregate()));
      reply_with(reply, fbb);
      return SYNOD_OK;
    });
  }

  static synod_status challenge(synod_plugin* p, const std::uint8_t* data, std::size_t size,
                                synod_reply* reply) noexcept {
    return guarded(reply, [&] {
      const auto* req = verified<msg::ChallengeRequest>(data, size, "ChallengeRequest");
      const challenge_data c = self(p).challenge(req->seed());
      flatbuffers::FlatBufferBuilder fbb(c.task.size() + c.reference.size() + 64);
      auto task = fbb.CreateVector(c.task);
      auto reference = fbb.CreateVector(c.reference);
      fbb.Finish(msg::CreateChallenge(fbb, task, reference));
      reply_with(reply, fbb);
      return SYNOD_OK;
    });
  }

  static synod_status answer(synod_plugin* p, const std::uint8_t* data, std::size_t size,
                             synod_reply* reply) noexcept {
    return guarded(reply, [&] {
      const auto* req = verified<msg::AnswerRequest>(data, size, "AnswerRequest");
      reply_answer(reply, self(p).answer(span_of(req->task())));
      return SYNOD_OK;
    });
  }

  static synod_status score(synod_plugin* p, const std::uint8_t* data, std::size_t size,
                            synod_reply* reply) noexcept {
    return guarded(reply, [&] {
      const auto* req = verified<msg::ScoreRequest>(data, size, "ScoreRequest");
      const double s = self(p).score(span_of(req->task()), span_of(req->reference()),
                                     span_of(req->answer()));
      if (!(s >= 0.0 && s <= 1.0))  // NaN fails too
        throw std::domain_error("score " + std::to_string(s) + " is outside [0, 1]");
      flatbuffers::FlatBufferBuilder fbb(64);
      fbb.Finish(msg::CreateScore(fbb, s));
      reply_with(reply, fbb);
      return SYNOD_OK;
    });
  }

  static synod_status aggregate(synod_plugin* p, const std::uint8_t* data, std::size_t size,
                                synod_reply* reply) noexcept {
    return guarded(reply, [&] {
      if (!self(p).has_aggregate()) {
        reply_text(reply, "this plugin has no aggregate");
        return SYNOD_UNSUPPORTED;
      }
      const auto* req = verified<msg::AggregateRequest>(data, size, "AggregateRequest");
      std::vector<weighted_answer> answers;
      answers.reserve(req->answers()->size());
      for (const auto* a : *req->answers()) answers.push_back({span_of(a->answer()), a->weight()});
      reply_answer(reply, self(p).aggregate(span_of(req->task()), answers));
      return SYNOD_OK;
    });
  }

  static void destroy(synod_plugin* p) noexcept {
    auto* a = reinterpret_cast<adapter*>(p);
    delete a->impl;
    delete a;
  }
};

inline options read_config(const std::uint8_t* data, std::size_t size) {
  options out;
  if (size == 0) return out;
  const auto* cfg = verified<msg::Config>(data, size, "Config");
  if (cfg->options())
    for (const auto* o : *cfg->options()) out[o->key()->str()] = o->value()->str();
  return out;
}

template <class Plugin>
synod_plugin* create(const std::uint8_t* config, std::size_t size, synod_reply* error) noexcept {
  static_assert(std::is_base_of_v<subnet_plugin, Plugin>,
                "SYNOD_PLUGIN(cls): cls must derive from synod::sdk::subnet_plugin");
  static_assert(std::is_standard_layout_v<adapter<Plugin>>);
  adapter<Plugin>* a = nullptr;
  synod_status st = guarded(error, [&] {
    const options opts = read_config(config, size);
    std::unique_ptr<Plugin> impl;
    if constexpr (std::is_constructible_v<Plugin, const options&>) {
      impl = std::make_unique<Plugin>(opts);
    } else {
      if (!opts.empty())
        throw std::invalid_argument("this plugin takes no options, got " + opts.begin()->first);
      impl = std::make_unique<Plugin>();
    }
    const std::string bad = check_manifest(impl->manifest());
    if (!bad.empty()) throw std::invalid_argument("bad manifest: " + bad);
    a = new adapter<Plugin>{{SYNOD_PLUGIN_ABI_VERSION, sizeof(synod_plugin), &adapter<Plugin>::manifest,
                             &adapter<Plugin>::challenge, &adapter<Plugin>::answer, &adapter<Plugin>::score,
                             &adapter<Plugin>::aggregate, &adapter<Plugin>::destroy},
                            impl.get()};
    impl.release();  // the adapter owns it now
    return SYNOD_OK;
  });
  return st == SYNOD_OK ? &a->c : nullptr;
}

}  // namespace detail
}  // namespace synod::sdk

/// Exports `cls` (a synod::sdk::subnet_plugin with a default constructor or one taking
/// `const synod::sdk::options&`) as this shared object's plugin. Once per .so.
#define SYNOD_PLUGIN(cls)                                                                   \
  extern "C" __attribute__((visibility("default"))) synod_plugin* synod_plugin_create(      \
      const uint8_t* config, size_t size, synod_reply* error) {                            \
    return ::synod::sdk::detail::create<cls>(config, size, error);                           \
  }                                                                                         \
  static_assert(std::is_same_v<decltype(&synod_plugin_create), synod_plugin_factory_fn>,     \
                "SYNOD_PLUGIN: the factory must have the synod_plugin_factory_fn signature")
