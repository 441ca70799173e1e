#include "actors/gateway/gateway.hpp"

#include "actors/gateway/metagraph.hpp"

#include "synod/chain/block.hpp"
#include "synod/chain/errc.hpp"
#include "synod/chain/records.hpp"
#include "synod/crypto/hash.hpp"
#include "synod/ledger/ledger.hpp"

namespace synod::actors {
namespace {

net::error_info not_found(std::string what) { return {"gateway.not_found", std::move(what)}; }

// A state snapshot and the height it is at. The store commits state and head together, but
// reads them separately: a head unchanged across taking the snapshot names it.
std::pair<std::unique_ptr<chain::state_view>, std::uint64_t> snapshot(node& n) {
  for (int tries = 0;; ++tries) {
    auto before = n.ledger().head().height;
    auto view = n.ledger().db().state();
    auto after = n.ledger().head().height;
    if (before == after || tries == 3) return {std::move(view), after};
  }
}

struct answerer {
  node& n;

  net::response_body operator()(const net::submit_tx& r) const {
    // Until transactions are gossiped, only a block producer can get one into a block.
    if (!n.is_authority())
      return net::error_info{"gateway.not_producing",
                             "this node produces no blocks; submit to an authority node"};
    auto s = n.submit(r.envelope);
    if (!s.ok()) return net::error_info{s.code, s.message};
    return net::submitted{s.tx_id};
  }

  net::response_body operator()(const net::get_account& r) const {
    auto view = n.ledger().db().state();
    auto a = chain::get_account(*view, r.key);
    return net::account_info{a.balance, a.nonce, chain::hotkey_owner(*view, r.key)};
  }

  net::response_body operator()(const net::get_stake& r) const {
    return net::stake_info{chain::get_stake(*n.ledger().db().state(), r.hotkey, r.coldkey)};
  }

  net::response_body operator()(const net::get_head&) const {
    auto view = n.ledger().db().state();  // head and totals from one snapshot
    auto h = n.ledger().head();
    auto t = chain::get_totals(*view);
    // One authority finalises every block at once; BFT finality among several comes later.
    return net::head_view{h.height, h.hash, h.slot, h.height, h.digest,
                          t.issuance, t.pending_emission, t.total_stake, t.burned,
                          n.ledger().context().chain_id};
  }

  net::response_body operator()(const net::get_block& r) const {
    auto& db = n.ledger().db();
    std::uint64_t height = r.height.value_or(0);
    if (r.hash) {
      auto found = db.height_of(*r.hash);
      if (!found) return net::to_error_info(found.error());
      if (!*found) return not_found("no block with hash " + r.hash->hex());
      height = **found;
    }
    auto raw = db.block_at(height);
    if (!raw) return net::to_error_info(raw.error());
    if (!*raw) return not_found("no block at height " + std::to_string(height));
    auto blk = chain::decode_block(**raw, n.ledger().context().params);
    if (!blk) return net::to_error_info(blk.error());
    return net::block_info{height, blk->hash, std::move(**raw)};
  }

  net::response_body operator()(const net::get_tx& r) const {
    auto loc = n.ledger().db().find_tx(r.id);
    if (!loc) return net::to_error_info(loc.error());
    if (*loc) {
      const auto& l = **loc;
      std::string failure;
      if (l.failed)
        failure = "chain." + std::string(error_domain_of(chain::errc{}).code_name(l.failure_code));
      return net::tx_info{l.failed ? net::tx_state::failed : net::tx_state::included, l.height,
                          l.index, l.fee, failure};
    }
    return net::tx_info{n.pending(r.id) ? net::tx_state::pending : net::tx_state::unknown, 0, 0, 0, ""};
  }

  net::response_body operator()(const net::get_subnet& r) const {
    auto [view, height] = snapshot(n);
    return answer_subnet(*view, height, r);
  }

  net::response_body operator()(const net::get_subnets&) const {
    auto [view, height] = snapshot(n);
    return answer_subnets(*view, height);
  }

  net::response_body operator()(const net::get_metagraph& r) const {
    auto [view, height] = snapshot(n);
    return answer_metagraph(*view, height, r);
  }

  // Operator requests: the server answers them to local clients only (net/server.hpp), and
  // only with this run's operator cookie.
  net::error_info not_operator() const {
    return {"gateway.not_operator", "plugin requests need this node's operator cookie, the hex in " +
                                        n.operator_cookie_file().string() + " (new at every start)"};
  }

  net::response_body operator()(const net::swap_plugin& r) const {
    if (!n.is_operator(r.cookie)) return not_operator();
    auto done = n.plugins().install(r.name, r.path, r.hash);
    if (!done) return net::to_error_info(done.error());
    for (const auto& v : n.plugins().list())
      if (v.name == r.name) return net::plugin_swapped{done->old_version, view_of(v), done->load_us};
    return net::error_info{"gateway.not_found", "plugin slot " + r.name + " vanished"};  // never: slots stay
  }

  net::response_body operator()(const net::list_plugins& r) const {
    if (!n.is_operator(r.cookie)) return not_operator();
    net::plugin_list out;
    for (const auto& v : n.plugins().list()) out.plugins.push_back(view_of(v));
    return out;
  }

  static net::plugin_view view_of(const plugin::slot_view& v) {
    const auto& m = v.current->manifest();
    return {v.name, m.name, m.version, v.current->content_hash(), v.current->file().string(), v.swaps};
  }
};

}  // namespace

net::block_event block_event_of(const bytes& raw, const chain::chain_params& params) {
  net::block_event e;
  auto blk = chain::decode_block(raw, params);
  if (!blk) return e;  // our own committed block always decodes
  e.height = blk->header.height;
  e.hash = blk->hash;
  e.tx_count = blk->header.tx_count;
  for (auto t : blk->txs) e.tx_ids.push_back(crypto::blake2b_256(t));
  return e;
}

net::response_body answer(node& n, const net::request_body& request) {
  return std::visit(answerer{n}, request);
}

result<std::unique_ptr<net::gateway_server>> start_gateway(node& n, net::server_options opts) {
  auto server = net::gateway_server::start(std::move(opts), [&n](const net::request_body& r) {
    return answer(n, r);
  });
  if (!server) return server;
  auto* s = server->get();
  auto params = n.ledger().context().params;
  n.on_block([s, params](const bytes& raw) { s->publish(block_event_of(raw, params)); });
  return server;
}

}  // namespace synod::actors
