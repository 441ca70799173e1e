#include "actors/node/node.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/sec.hpp>

#include <mutex>

#include "actors/block_producer/block_producer.hpp"
#include "actors/peer/peer.hpp"
#include "actors/system/errors.hpp"
#include "actors/system/system.hpp"
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
  std::shared_ptr<ledger::ledger> ledger;
  std::vector<ledger_shard_actor> shards;
  peer_actor peer;
  std::optional<block_producer_actor> producer;
  std::mutex listener_mu;
  std::function<void(const bytes&)> listener;
  bool stopped = false;
};

node::node(std::unique_ptr<impl> p) : impl_(std::move(p)) {}

node::~node() { stop(); }

result<std::unique_ptr<node>> node::start(node_options opts) {
  auto l = ledger::ledger::open({opts.data_dir, opts.sync_writes}, opts.genesis);
  if (!l) return std::move(l).error();
  auto p = std::make_unique<impl>(opts.threads);
  p->ledger = std::shared_ptr<ledger::ledger>(std::move(*l));
  std::size_t k = std::max<std::size_t>(1, opts.shards);
  for (std::size_t i = 0; i < k; ++i)
    p->shards.push_back(spawn_ledger_shard(p->sys, p->ledger, opts.mempool));
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

submission node::submit(const bytes& envelope, std::chrono::milliseconds timeout) {
  const auto& ctx = impl_->ledger->context();
  // Route by signer; a buffer too broken to name its signer goes to shard 0, which rejects
  // it with the precise reason.
  std::size_t shard = 0;
  if (auto tx = chain::decode_tx(envelope, ctx.chain_id, ctx.params))
    shard = ledger::shard_of(tx->signer, impl_->shards.size());
  submission out;
  caf::scoped_actor self{impl_->sys};
  self->request(impl_->shards[shard], timeout, submit_atom_v, envelope)
      .receive(
          [&](submit_result& r) {
            out.code = std::move(r.code);
            out.message = std::move(r.message);
            if (out.ok()) out.tx_id = *hash32::from_view(r.tx_id);
          },
          [&](caf::error& e) {
            auto err = from_caf(e);
            out.code = std::string(err.domain().name) + "." + std::string(err.code_name());
            out.message = err.message();
          });
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
