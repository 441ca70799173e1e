#include "actors/node/node.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/sec.hpp>

#include <fcntl.h>
#include <sodium/utils.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <thread>

#include "actors/block_producer/block_producer.hpp"
#include "actors/ledger_shard/verify_pool.hpp"
#include "actors/peer/peer.hpp"
#include "actors/system/errors.hpp"
#include "actors/system/system.hpp"
#include "synod/crypto/keys.hpp"
#include "synod/ledger/ledger.hpp"

namespace synod::actors {
namespace {

std::string_view node_code_name(int code) noexcept {
  switch (static_cast<node_errc>(code)) {
    case node_errc::timeout: return "timeout";
    case node_errc::stopped: return "stopped";
    case node_errc::failed: return "failed";
  }
  return "unknown";
}

constexpr error_domain node_domain{"node", &node_code_name};

// The config must exist, configured, before the system that keeps a reference to it.
struct config_holder {
  explicit config_holder(std::size_t threads) { configure(cfg, threads); }
  caf::actor_system_config cfg;
};

error from_caf(const caf::error& e) {
  if (e == caf::sec::request_timeout) return error(node_errc::timeout, "the node did not answer in time");
  if (e == caf::sec::request_receiver_down) return error(node_errc::stopped, "the node is stopping");
  return error(node_errc::failed, describe(e));
}

constexpr auto ask_timeout = std::chrono::seconds(30);

}  // namespace

const error_domain& error_domain_of(node_errc) noexcept { return node_domain; }

struct node::impl : config_holder {
  explicit impl(std::size_t threads) : config_holder(threads), sys(cfg) {}

  caf::actor_system sys;
  // After `sys`, so it is gone (its threads joined) before the system it sends answers into.
  std::shared_ptr<verify_pool> verifier;
  std::shared_ptr<ledger::ledger> ledger;
  std::vector<ledger_shard_actor> shards;
  peer_actor peer;
  std::optional<block_producer_actor> producer;
  std::mutex listener_mu;
  std::function<void(const bytes&)> listener;
  // A swap arrives on the gateway's one thread: a plugin whose factory never returns must not
  // stall it.
  plugin::registry plugins{{}, std::chrono::seconds(10)};
  std::string operator_cookie;  // hex
  std::filesystem::path cookie_file;
  bool stopped = false;
};

namespace {

// A fresh operator cookie in <data_dir>/operator.cookie: the file is made anew (never an
// existing file or link followed) with mode 0600, so only the node's user can read it.
result<std::string> write_operator_cookie(const std::filesystem::path& file) {
  const auto secret = crypto::seed::random();
  const std::string hex = to_hex(secret.view());
  ::unlink(file.c_str());
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0)
    return error(node_errc::failed, "cannot write the operator cookie " + file.string() + ": " + std::strerror(errno));
  const std::string line = hex + "\n";
  const bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  ::close(fd);
  if (!written) return error(node_errc::failed, "cannot write the operator cookie " + file.string());
  return hex;
}

}  // namespace

node::node(std::unique_ptr<impl> p) : impl_(std::move(p)) {}

node::~node() { stop(); }

result<std::unique_ptr<node>> node::start(node_options opts) {
  auto l = ledger::ledger::open({opts.data_dir, opts.sync_writes}, opts.genesis);
  if (!l) return std::move(l).error();
  auto p = std::make_unique<impl>(opts.threads);
  p->ledger = std::shared_ptr<ledger::ledger>(std::move(*l));
  for (const auto& [slot, file] : opts.plugins)
    if (auto r = p->plugins.install(slot, file); !r) return std::move(r).error();
  p->cookie_file = opts.data_dir / "operator.cookie";
  auto cookie = write_operator_cookie(p->cookie_file);
  if (!cookie) return std::move(cookie).error();
  p->operator_cookie = std::move(*cookie);
  std::size_t k = std::max<std::size_t>(1, opts.shards);
  p->verifier = std::make_shared<verify_pool>(std::max(1u, std::thread::hardware_concurrency()));
  for (std::size_t i = 0; i < k; ++i)
    p->shards.push_back(spawn_ledger_shard(p->sys, p->ledger, opts.mempool, p->verifier));
  auto* raw = p.get();
  p->peer = spawn_peer(p->sys, p->ledger, p->shards, [raw](const bytes& block) {
    std::lock_guard g(raw->listener_mu);
    if (raw->listener) raw->listener(block);
  });
  if (opts.authority) {
    auto ms = std::chrono::milliseconds(opts.genesis.params.block_time_ms);
    p->producer = spawn_block_producer(p->sys, p->ledger, p->shards, p->peer,
                                       producer_options{*opts.authority, ms, opts.timer});
  }
  return std::unique_ptr<node>(new node(std::move(p)));
}

namespace {

// The shard that owns an envelope's signer; a buffer too broken to name its signer goes to
// shard 0, which rejects it with the precise reason.
std::size_t route(const bytes& envelope, std::size_t shards) {
  if (auto signer = chain::envelope_signer(envelope)) return ledger::shard_of(*signer, shards);
  return 0;
}

submission from_result(submit_result& r) {
  submission s;
  s.code = std::move(r.code);
  s.message = std::move(r.message);
  if (s.ok()) s.tx_id = *hash32::from_view(r.tx_id);
  return s;
}

submission from_failure(const caf::error& e) {
  auto err = from_caf(e);
  return {std::string(err.domain().name) + "." + std::string(err.code_name()), err.message(), {}};
}

}  // namespace

std::vector<submission> node::submit_batch(const std::vector<bytes>& envelopes,
                                           std::chrono::milliseconds timeout) {
  auto k = impl_->shards.size();
  std::vector<bytes_list> parts(k);
  std::vector<std::vector<std::size_t>> where(k);
  for (std::size_t i = 0; i < envelopes.size(); ++i) {
    auto s = route(envelopes[i], k);
    parts[s].push_back(envelopes[i]);
    where[s].push_back(i);
  }
  std::vector<submission> out(envelopes.size());
  caf::scoped_actor self{impl_->sys};
  // All requests first, then the answers: the shards work in parallel.
  using reply_handle = decltype(self->request(impl_->shards[0], timeout, submit_atom_v, parts[0]));
  std::vector<std::pair<std::size_t, reply_handle>> pending;
  for (std::size_t s = 0; s < k; ++s)
    if (!parts[s].empty()) pending.emplace_back(s, self->request(impl_->shards[s], timeout, submit_atom_v, parts[s]));
  for (auto& [s, handle] : pending) {
    handle.receive(
        [&, s = s](submit_results& rs) {
          for (std::size_t j = 0; j < rs.size() && j < where[s].size(); ++j) out[where[s][j]] = from_result(rs[j]);
        },
        [&, s = s](caf::error& e) {
          for (auto i : where[s]) out[i] = from_failure(e);
        });
  }
  return out;
}

submission node::submit(const bytes& envelope, std::chrono::milliseconds timeout) {
  auto shard = route(envelope, impl_->shards.size());
  submission out;
  caf::scoped_actor self{impl_->sys};
  self->request(impl_->shards[shard], timeout, submit_atom_v, envelope)
      .receive(
          [&](submit_result& r) { out = from_result(r); },
          [&](caf::error& e) { out = from_failure(e); });
  return out;
}

bool node::pending(const hash32& tx_id) {
  bytes id(tx_id.data.begin(), tx_id.data.end());
  bool found = false;
  caf::scoped_actor self{impl_->sys};
  for (const auto& s : impl_->shards) {
    self->request(s, ask_timeout, pending_atom_v, id)
        .receive([&](bool b) { found = found || b; }, [&](caf::error&) {});
    if (found) break;
  }
  return found;
}

result<std::uint64_t> node::produce_now() {
  if (!impl_->producer) return error(node_errc::failed, "this node is not an authority");
  std::optional<result<std::uint64_t>> out;
  caf::scoped_actor self{impl_->sys};
  self->request(*impl_->producer, ask_timeout, produce_atom_v)
      .receive([&](std::uint64_t h) { out.emplace(h); },
               [&](caf::error& e) { out.emplace(from_caf(e)); });
  return std::move(*out);
}

result<std::uint64_t> node::import(const bytes& raw) {
  std::optional<result<std::uint64_t>> out;
  caf::scoped_actor self{impl_->sys};
  self->request(impl_->peer, ask_timeout, import_atom_v, raw)
      .receive([&](std::uint64_t h) { out.emplace(h); },
               [&](caf::error& e) { out.emplace(from_caf(e)); });
  return std::move(*out);
}

void node::on_block(std::function<void(const bytes& raw)> listener) {
  std::lock_guard g(impl_->listener_mu);
  impl_->listener = std::move(listener);
}

ledger::ledger& node::ledger() const noexcept { return *impl_->ledger; }

plugin::registry& node::plugins() const noexcept { return impl_->plugins; }

bool node::is_operator(std::string_view cookie) const noexcept {
  const std::string& mine = impl_->operator_cookie;
  return !mine.empty() && cookie.size() == mine.size() && sodium_memcmp(cookie.data(), mine.data(), mine.size()) == 0;
}

const std::filesystem::path& node::operator_cookie_file() const noexcept { return impl_->cookie_file; }

std::size_t node::shards() const noexcept { return impl_->shards.size(); }

bool node::is_authority() const noexcept { return impl_->producer.has_value(); }

void node::stop() {
  if (!impl_ || impl_->stopped) return;
  impl_->stopped = true;
  auto& sys = impl_->sys;
  if (impl_->producer) caf::anon_send_exit(*impl_->producer, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(impl_->peer, caf::exit_reason::user_shutdown);
  for (const auto& s : impl_->shards) caf::anon_send_exit(s, caf::exit_reason::user_shutdown);
  impl_->producer.reset();
  impl_->peer = nullptr;
  impl_->shards.clear();
  sys.await_all_actors_done();
}

}  // namespace synod::actors
