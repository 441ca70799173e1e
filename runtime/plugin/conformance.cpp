#include "synod/plugin/conformance.hpp"

#include <random>
#include <set>

#include "plugin_impl.hpp"
#include "synod/plugin/errc.hpp"

namespace synod::plugin {
namespace {

namespace msg = sdk::msg;

const char* status_name(int st) {
  switch (st) {
    case SYNOD_OK: return "SYNOD_OK";
    case SYNOD_BAD_REQUEST: return "SYNOD_BAD_REQUEST";
    case SYNOD_FAILED: return "SYNOD_FAILED";
    case SYNOD_UNSUPPORTED: return "SYNOD_UNSUPPORTED";
  }
  return "an unknown status";
}

const char* call_name(detail::call_kind k) {
  switch (k) {
    case detail::call_kind::challenge: return "challenge";
    case detail::call_kind::answer: return "answer";
    case detail::call_kind::score: return "score";
    case detail::call_kind::aggregate: return "aggregate";
  }
  return "?";
}

// Whether `data` is the reply message `k` must give.
bool reply_verifies(detail::call_kind k, const bytes& data) {
  flatbuffers::Verifier v(data.data(), data.size());
  switch (k) {
    case detail::call_kind::challenge: return v.VerifyBuffer<msg::Challenge>(nullptr);
    case detail::call_kind::answer:
    case detail::call_kind::aggregate: return v.VerifyBuffer<msg::Answer>(nullptr);
    case detail::call_kind::score: {
      if (!v.VerifyBuffer<msg::Score>(nullptr)) return false;
      const double s = flatbuffers::GetRoot<msg::Score>(data.data())->score();
      return s >= 0.0 && s <= 1.0;
    }
  }
  return false;
}

class suite {
 public:
  suite(const plugin& p, const conformance_options& o) : p_(p), o_(o), rng_(o.random_seed) {}

  void check(std::string name, bool passed, std::string detail) {
    report.checks.push_back({std::move(name), passed, std::move(detail)});
  }

  // Challenge, answer and score for each seed, twice, compared.
  void round_trips() {
    std::set<std::string> tasks;  // as strings: GCC 12 warns wrongly on sets of byte vectors
    std::string bad;
    for (std::uint64_t seed = 0; seed < o_.seeds && bad.empty(); ++seed) {
      auto c1 = p_.challenge(seed), c2 = p_.challenge(seed);
      if (!c1 || !c2) { bad = "challenge(" + std::to_string(seed) + "): " + (c1 ? c2 : c1).error().to_string(); break; }
      if (c1->task != c2->task || c1->reference != c2->reference) { bad = "challenge(" + std::to_string(seed) + ") gave two different results"; break; }
      tasks.emplace(c1->task.begin(), c1->task.end());
      auto a1 = p_.answer(c1->task), a2 = p_.answer(c1->task);
      if (!a1 || !a2) { bad = "answer to seed " + std::to_string(seed) + ": " + (a1 ? a2 : a1).error().to_string(); break; }
      if (*a1 != *a2) { bad = "answer to seed " + std::to_string(seed) + " gave two different results"; break; }
      auto s1 = p_.score(c1->task, c1->reference, *a1), s2 = p_.score(c1->task, c1->reference, *a1);
      if (!s1 || !s2) { bad = "score for seed " + std::to_string(seed) + ": " + (s1 ? s2 : s1).error().to_string(); break; }
      if (*s1 != *s2) { bad = "score for seed " + std::to_string(seed) + " gave two different results"; break; }
      if (p_.has_aggregate()) {
        const sdk::weighted_answer one[] = {{*a1, 1.0}};
        auto g1 = p_.aggregate(c1->task, one), g2 = p_.aggregate(c1->task, one);
        if (!g1 || !g2) { bad = "aggregate for seed " + std::to_string(seed) + ": " + (g1 ? g2 : g1).error().to_string(); break; }
        if (*g1 != *g2) { bad = "aggregate for seed " + std::to_string(seed) + " gave two different results"; break; }
      }
      last_task_ = c1->task;
      last_reference_ = c1->reference;
    }
    check("calls succeed and are deterministic", bad.empty(),
          bad.empty() ? std::to_string(o_.seeds) + " seeds: challenge, answer, score" +
                            (p_.has_aggregate() ? ", aggregate" : "") + " each twice, equal"
                      : bad);
    if (o_.seeds >= 2)
      check("challenges differ across seeds", tasks.size() >= 2,
            std::to_string(tasks.size()) + " distinct tasks from " + std::to_string(o_.seeds) + " seeds");
  }

  // A call must refuse what is not its request message, and may answer anything that is.
  void malformed_requests() {
    std::string bad;
    std::uniform_int_distribution<int> byte(0, 255), len(1, 512);
    std::vector<detail::call_kind> calls = {detail::call_kind::challenge, detail::call_kind::answer,
                                            detail::call_kind::score};
    if (p_.has_aggregate()) calls.push_back(detail::call_kind::aggregate);
    for (auto k : calls) {
      auto r = detail::call_raw(p_.internals(), k, {});
      if (r.status != SYNOD_BAD_REQUEST) {
        bad = std::string(call_name(k)) + " of an empty buffer gave " + status_name(r.status) + ", not SYNOD_BAD_REQUEST";
        break;
      }
      for (std::uint32_t i = 0; i < o_.garbage_inputs && bad.empty(); ++i) {
        bytes junk(static_cast<std::size_t>(len(rng_)));
        for (auto& b : junk) b = static_cast<std::uint8_t>(byte(rng_));
        auto g = detail::call_raw(p_.internals(), k, junk);
        if (g.status == SYNOD_BAD_REQUEST) continue;
        if (g.status == SYNOD_OK && reply_verifies(k, g.data)) continue;  // it was a valid request
        bad = std::string(call_name(k)) + " of " + std::to_string(junk.size()) + " random bytes gave " +
              status_name(g.status) + (g.status == SYNOD_OK ? " with a reply that is not its message" : "");
      }
      if (!bad.empty()) break;
    }
    check("malformed requests are refused", bad.empty(),
          bad.empty() ? "empty and " + std::to_string(o_.garbage_inputs) + " random buffers per call" : bad);
  }

  // Well-formed requests holding random payloads: refused or answered, never a failure.
  void random_payloads() {
    std::string bad;
    std::uniform_int_distribution<int> byte(0, 255), len(0, 256);
    for (std::uint32_t i = 0; i < o_.garbage_inputs && bad.empty(); ++i) {
      bytes junk(static_cast<std::size_t>(len(rng_)));
      for (auto& b : junk) b = static_cast<std::uint8_t>(byte(rng_));
      auto a = p_.answer(junk);
      if (!a && !a.error().is(errc::bad_request)) bad = "answer to a random task: " + a.error().to_string();
      if (last_task_.empty() || !bad.empty()) continue;
      auto s = p_.score(last_task_, last_reference_, junk);
      if (!s && !s.error().is(errc::bad_request)) bad = "score of a random answer: " + s.error().to_string();
    }
    check("random payloads are refused or answered", bad.empty(),
          bad.empty() ? std::to_string(o_.garbage_inputs) + " random tasks and answers" : bad);
  }

  conformance_report report;

 private:
  const plugin& p_;
  const conformance_options& o_;
  std::mt19937_64 rng_;
  bytes last_task_, last_reference_;
};

}  // namespace

bool conformance_report::passed() const {
  if (checks.empty()) return false;
  for (const auto& c : checks)
    if (!c.passed) return false;
  return true;
}

conformance_report check_conformance(const std::filesystem::path& file, const conformance_options& opts) {
  auto p = plugin::load(file, opts.load);
  if (!p) return {{{"loads", false, p.error().to_string()}}};
  const auto& m = (*p)->manifest();
  suite s(**p, opts);
  s.check("loads", true,
          m.name + " " + m.version + ", ABI " + std::to_string(SYNOD_PLUGIN_ABI_VERSION) + ", limits " +
              std::to_string(m.limits.max_request_bytes) + "/" + std::to_string(m.limits.max_reply_bytes) +
              " bytes, " + std::to_string(m.limits.deadline_ms) + " ms");
  s.round_trips();
  s.malformed_requests();
  s.random_payloads();
  return std::move(s.report);
}

std::string to_text(const conformance_report& r) {
  std::string out;
  std::size_t failed = 0;
  for (const auto& c : r.checks) {
    out += (c.passed ? "PASS " : "FAIL ") + c.name + ": " + c.detail + "\n";
    failed += c.passed ? 0 : 1;
  }
  out += r.passed() ? "conformant: " + std::to_string(r.checks.size()) + " checks passed\n"
                    : "NOT conformant: " + std::to_string(failed) + " of " + std::to_string(r.checks.size()) +
                          " checks failed\n";
  return out;
}

}  // namespace synod::plugin
