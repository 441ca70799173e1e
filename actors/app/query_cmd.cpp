// `synod query balance|stake|head|block|tx|subscribe`: read the chain through a node's gateway.
// The subnet queries (metagraph, subnet, subnets) are in metagraph_cmd.cpp.

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>

#include "client.hpp"
#include "commands.hpp"
#include "synod/base/amount.hpp"
#include "synod/chain/block.hpp"
#include "synod/crypto/address.hpp"
#include "synod/crypto/hash.hpp"

namespace synod::app {
namespace {

using json = nlohmann::json;

struct query_flags : client_flags {
  std::string key;      // address or hex
  std::string coldkey;  // for stake
  std::string target;   // block height or hash; tx id
  std::string pub;      // subscribe: the node's block feed
  std::uint64_t count = 0;
};

void emit(const json& doc) { std::printf("%s\n", doc.dump(2).c_str()); }

std::optional<crypto::public_key> key_or_report(const std::string& text, const char* what) {
  auto k = crypto::parse_public_key(text);
  if (!k) {
    report(k.error().with_context(what));
    return std::nullopt;
  }
  return *k;
}

int run_balance(const query_flags& f) {
  auto key = key_or_report(f.key, "address");
  auto c = connect_or_report(f);
  if (!key || !c) return exit_error;
  auto a = ask<net::account_info>(*c, f, net::get_account{*key});
  if (!a) return exit_error;
  if (f.json) {
    json doc = {{"address", crypto::to_ss58(*key)}, {"balance_rao", a->balance},
                {"balance", format_tao(a->balance)}, {"nonce", a->nonce}};
    if (a->owner) doc["hotkey_owner"] = crypto::to_ss58(*a->owner);
    emit(doc);
  } else {
    std::printf("%s  %s TAO  nonce %llu\n", crypto::to_ss58(*key).c_str(),
                format_tao(a->balance).c_str(), static_cast<unsigned long long>(a->nonce));
    if (a->owner) std::printf("hotkey owned by %s\n", crypto::to_ss58(*a->owner).c_str());
  }
  return exit_ok;
}

int run_stake(const query_flags& f) {
  auto hot = key_or_report(f.key, "--hotkey");
  auto cold = key_or_report(f.coldkey, "--coldkey");
  auto c = connect_or_report(f);
  if (!hot || !cold || !c) return exit_error;
  auto s = ask<net::stake_info>(*c, f, net::get_stake{*hot, *cold});
  if (!s) return exit_error;
  if (f.json)
    emit({{"hotkey", crypto::to_ss58(*hot)}, {"coldkey", crypto::to_ss58(*cold)},
          {"stake_rao", s->amount}, {"stake", format_tao(s->amount)}});
  else
    std::printf("%s TAO staked by %s on %s\n", format_tao(s->amount).c_str(),
                crypto::to_ss58(*cold).c_str(), crypto::to_ss58(*hot).c_str());
  return exit_ok;
}

int run_head(const query_flags& f) {
  auto c = connect_or_report(f);
  if (!c) return exit_error;
  auto h = ask<net::head_view>(*c, f, net::get_head{});
  if (!h) return exit_error;
  if (f.json) {
    emit({{"height", h->height}, {"hash", h->hash.hex()}, {"slot", h->slot},
          {"finalized", h->finalized}, {"state_digest", h->digest.hex()},
          {"chain_id", h->chain_id.hex()}, {"issuance_rao", h->issuance},
          {"pending_emission_rao", h->pending_emission}, {"total_stake_rao", h->total_stake},
          {"burned_rao", h->burned}});
    return exit_ok;
  }
  std::printf("head       %llu  %s\nfinalized  %llu\nslot       %llu\ndigest     %s\nchain      %s\n"
              "issuance   %s TAO (pending emission %s, staked %s, burned %s)\n",
              static_cast<unsigned long long>(h->height), h->hash.hex().c_str(),
              static_cast<unsigned long long>(h->finalized), static_cast<unsigned long long>(h->slot),
              h->digest.hex().c_str(), h->chain_id.hex().c_str(), format_tao(h->issuance).c_str(),
              format_tao(h->pending_emission).c_str(), format_tao(h->total_stake).c_str(),
              format_tao(h->burned).c_str());
  return exit_ok;
}

int run_block(const query_flags& f) {
  net::get_block req;
  if (f.target.size() == 64) {
    auto h = hash32::from_hex(f.target);
    if (!h) return report(h.error().with_context("block hash"));
    req.hash = *h;
  } else {
    try {
      req.height = std::stoull(f.target);
    } catch (const std::exception&) {
      std::fprintf(stderr, "synod: '%s' is neither a block height nor a 64-digit hash\n", f.target.c_str());
      return exit_error;
    }
  }
  auto c = connect_or_report(f);
  if (!c) return exit_error;
  auto b = ask<net::block_info>(*c, f, req);
  if (!b) return exit_error;
  chain::chain_params unlimited;
  unlimited.max_block_txs = 1'000'000;
  auto blk = chain::decode_block(b->block, unlimited);
  if (!blk) return report(blk.error().with_context("block from the node"));
  const auto& h = blk->header;
  json txs = json::array();
  for (auto t : blk->txs) txs.push_back(crypto::blake2b_256(t).hex());
  if (f.json) {
    emit({{"height", h.height}, {"hash", blk->hash.hex()}, {"parent", h.parent.hex()},
          {"slot", h.slot}, {"author", crypto::to_ss58(h.author)}, {"tx_root", h.tx_root.hex()},
          {"state_digest", h.state_digest.hex()}, {"tx_count", h.tx_count}, {"txs", txs},
          {"bytes", b->block.size()}});
    return exit_ok;
  }
  std::printf("block %llu  %s\nparent  %s\nslot    %llu  author %s\ndigest  %s\n%u transactions (%zu bytes)\n",
              static_cast<unsigned long long>(h.height), blk->hash.hex().c_str(), h.parent.hex().c_str(),
              static_cast<unsigned long long>(h.slot), crypto::to_ss58(h.author).c_str(),
              h.state_digest.hex().c_str(), h.tx_count, b->block.size());
  for (const auto& id : txs) std::printf("  %s\n", id.get<std::string>().c_str());
  return exit_ok;
}

const char* state_name(net::tx_state s) {
  switch (s) {
    case net::tx_state::pending: return "pending";
    case net::tx_state::included: return "included";
    case net::tx_state::failed: return "failed";
    case net::tx_state::unknown: break;
  }
  return "unknown";
}

int run_tx(const query_flags& f) {
  auto id = hash32::from_hex(f.target);
  if (!id) return report(id.error().with_context("transaction id"));
  auto c = connect_or_report(f);
  if (!c) return exit_error;
  auto t = ask<net::tx_info>(*c, f, net::get_tx{*id});
  if (!t) return exit_error;
  if (f.json) {
    json doc = {{"id", id->hex()}, {"state", state_name(t->state)}};
    if (t->state == net::tx_state::included || t->state == net::tx_state::failed) {
      doc["height"] = t->height;
      doc["index"] = t->index;
      doc["fee_rao"] = t->fee;
    }
    if (!t->failure.empty()) doc["failure"] = t->failure;
    emit(doc);
    return exit_ok;
  }
  std::printf("%s  %s", id->hex().c_str(), state_name(t->state));
  if (t->state == net::tx_state::included || t->state == net::tx_state::failed)
    std::printf(" in block %llu (#%u), fee %s TAO", static_cast<unsigned long long>(t->height), t->index,
                format_tao(t->fee).c_str());
  if (!t->failure.empty()) std::printf(": %s", t->failure.c_str());
  std::printf("\n");
  return exit_ok;
}

// Prints block events as the node publishes them, until --count blocks or SIGINT.
int run_subscribe(const query_flags& f) {
  std::string endpoint = f.pub;
  if (endpoint.empty()) {
    const char* env = std::getenv("SYNOD_PUB_ENDPOINT");
    endpoint = env && *env ? env : "tcp://127.0.0.1:7601";
  }
  auto sub = net::block_subscriber::connect({endpoint});
  if (!sub) return report(sub.error());
  for (std::uint64_t seen = 0; f.count == 0 || seen < f.count;) {
    auto e = sub->next(std::chrono::milliseconds(f.timeout_ms));
    if (!e) return report(e.error());
    if (!*e) {
      std::fprintf(stderr, "synod: no block from %s in %u ms\n", endpoint.c_str(), f.timeout_ms);
      return exit_error;
    }
    const auto& ev = **e;
    if (f.json) {
      json ids = json::array();
      for (const auto& id : ev.tx_ids) ids.push_back(id.hex());
      std::printf("%s\n", json({{"height", ev.height}, {"hash", ev.hash.hex()},
                                {"tx_count", ev.tx_count}, {"txs", ids}}).dump().c_str());
    } else {
      std::printf("block %llu  %s  %u txs\n", static_cast<unsigned long long>(ev.height),
                  ev.hash.hex().c_str(), ev.tx_count);
    }
    std::fflush(stdout);
    ++seen;
  }
  return exit_ok;
}

}  // namespace

void add_query_commands(CLI::App& app, int& exit_code) {
  auto* query = app.add_subcommand("query", "read the chain through a node's gateway");
  query->require_subcommand(1);
  auto f = std::make_shared<query_flags>();
  auto run = [f, &exit_code](int (*fn)(const query_flags&)) {
    return [f, &exit_code, fn] { exit_code = fn(*f); };
  };
  auto* balance = query->add_subcommand("balance", "free balance and nonce of an account");
  balance->add_option("address", f->key, "SS58 address or 64 hex digits")->required();
  auto* stake = query->add_subcommand("stake", "stake of a coldkey on a hotkey");
  stake->add_option("--hotkey", f->key, "hotkey address")->required();
  stake->add_option("--coldkey", f->coldkey, "coldkey address")->required();
  auto* head = query->add_subcommand("head", "the chain head, finality and supply");
  auto* block = query->add_subcommand("block", "a block by height or hash");
  block->add_option("block", f->target, "height, or block hash in hex")->required();
  auto* tx = query->add_subcommand("tx", "a transaction's status by id");
  tx->add_option("id", f->target, "transaction id in hex")->required();
  auto* subscribe = query->add_subcommand("subscribe", "print blocks as the node commits them");
  subscribe->add_option("--pub", f->pub,
                        "node block feed (default: $SYNOD_PUB_ENDPOINT, else tcp://127.0.0.1:7601)");
  subscribe->add_option("--count", f->count, "stop after this many blocks (default: never)");
  for (auto* sub : {balance, stake, head, block, tx, subscribe}) add_client_flags(sub, *f);
  balance->callback(run(run_balance));
  stake->callback(run(run_stake));
  head->callback(run(run_head));
  block->callback(run(run_block));
  tx->callback(run(run_tx));
  subscribe->callback(run(run_subscribe));
  add_subnet_queries(query, exit_code);
}

}  // namespace synod::app
