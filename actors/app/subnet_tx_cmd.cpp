// `synod tx register-subnet|subnet-set|register|serve|set-weights|commit-weights|
// reveal-weights|set-take|root-vote`: the subnet calls. Which key signs is the chain's rule
// (subnet_calls.cpp): the coldkey owns subnets, burns for registrations and sets takes; a
// neuron's hotkey serves, sets, commits and reveals weights and votes on the root network.

#include <CLI/CLI.hpp>
#include <arpa/inet.h>

#include <charconv>
#include <cmath>
#include <cstdio>

#include "cli_errc.hpp"
#include "commands.hpp"
#include "tx_submit.hpp"
#include "synod/chain/subnet_rules.hpp"
#include "synod/crypto/address.hpp"
#include "synod/wallet/keystore.hpp"

namespace synod::app {
namespace {

using json = nlohmann::json;

error bad_flag(std::string_view flag, std::string what) {
  return error(errc::bad_flag, std::string(flag) + ": " + std::move(what));
}

std::string hyperparam_names() {
  std::string out;
  for (std::uint8_t id = 1; id <= chain::hyperparam_count; ++id)
    out.append(id == 1 ? "" : ", ").append(chain::hyperparam_name(static_cast<chain::hyperparam>(id)));
  return out;
}

result<chain::hyperparam_change> parse_param(const std::string& text) {
  const auto eq = text.find('=');
  if (eq == std::string::npos) return bad_flag("--param", "'" + text + "' is not NAME=VALUE");
  const auto name = text.substr(0, eq), value = text.substr(eq + 1);
  std::optional<chain::hyperparam> id;
  for (std::uint8_t i = 1; i <= chain::hyperparam_count; ++i)
    if (chain::hyperparam_name(static_cast<chain::hyperparam>(i)) == name) id = static_cast<chain::hyperparam>(i);
  if (!id) return bad_flag("--param", "no hyperparameter '" + name + "'; one of " + hyperparam_names());
  if (value == "true" || value == "on") return chain::hyperparam_change{*id, 1};
  if (value == "false" || value == "off") return chain::hyperparam_change{*id, 0};
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
  if (ec != std::errc() || end != value.data() + value.size())
    return bad_flag("--param", name + ": '" + value + "' is not a whole number >= 0, true or false");
  return chain::hyperparam_change{*id, v};
}

result<chain::call> make_subnet_set(const tx_env& env) {
  chain::set_subnet_hyperparams_call call{env.f.netuid, {}};
  for (const auto& p : env.f.params) {
    auto change = parse_param(p);
    if (!change) return std::move(change).error();
    call.changes.push_back(*change);
  }
  return chain::call{std::move(call)};
}

result<chain::call> make_register_subnet(const tx_env& env) {
  auto hot = hotkey_address(env);
  if (!hot) return std::move(hot).error();
  return chain::call{chain::register_subnet_call{*hot}};
}

result<chain::call> make_burned_register(const tx_env& env) {
  auto hot = hotkey_address(env);
  if (!hot) return std::move(hot).error();
  return chain::call{chain::burned_register_call{env.f.netuid, *hot}};
}

result<std::uint8_t> parse_protocol(const std::string& p) {
  if (p == "tcp" || p == "0") return std::uint8_t{0};
  if (p == "udp" || p == "1") return std::uint8_t{1};
  if (p == "other" || p == "2") return std::uint8_t{2};
  return bad_flag("--protocol", "'" + p + "' is not tcp, udp or other");
}

result<chain::call> make_serve(const tx_env& env) {
  chain::serve_call call;
  call.netuid = env.f.netuid;
  call.port = env.f.port;
  call.version = env.f.axon_version;
  if (inet_pton(AF_INET, env.f.ip.c_str(), call.ip.data() + 12) == 1) {
    call.ip_type = 4;
  } else if (inet_pton(AF_INET6, env.f.ip.c_str(), call.ip.data()) == 1) {
    call.ip_type = 6;
  } else {
    return bad_flag("--ip", "'" + env.f.ip + "' is neither an IPv4 nor an IPv6 address");
  }
  auto protocol = parse_protocol(env.f.protocol);
  if (!protocol) return std::move(protocol).error();
  call.protocol = *protocol;
  return chain::call{call};
}

// --version-key, else the subnet's own: what a validator that is up to date sends.
result<std::uint64_t> version_key_of(const tx_env& env) {
  if (!env.f.version_key.empty()) {
    const auto& text = env.f.version_key;
    std::uint64_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size())
      return bad_flag("--version-key", "'" + text + "' is not a whole number >= 0");
    return v;
  }
  auto s = ask<net::subnet_info>(env.client, env.f, net::get_subnet{env.f.netuid});
  if (!s) return error(errc::bad_flag, "cannot read subnet " + std::to_string(env.f.netuid));
  for (const auto& h : s->hyperparams)
    if (h.id == static_cast<std::uint8_t>(chain::hyperparam::weights_version_key)) return h.value;
  return 0;
}

result<chain::call> make_set_weights(const tx_env& env) {
  auto key = version_key_of(env);
  if (!key) return std::move(key).error();
  return chain::call{chain::set_weights_call{env.f.netuid, env.f.uids, env.f.values, *key}};
}

bytes salt_of(const tx_flags& f) { return bytes(f.salt.begin(), f.salt.end()); }

result<chain::call> make_commit(const tx_env& env) {
  auto key = version_key_of(env);
  if (!key) return std::move(key).error();
  auto salt = salt_of(env.f);
  auto hash = chain::weights_commit_hash(env.signer.public_key(), env.f.netuid, env.f.uids,
                                         env.f.values, salt, *key);
  return chain::call{chain::commit_weights_call{env.f.netuid, hash}};
}

result<chain::call> make_reveal(const tx_env& env) {
  auto key = version_key_of(env);
  if (!key) return std::move(key).error();
  return chain::call{
      chain::reveal_weights_call{env.f.netuid, env.f.uids, env.f.values, salt_of(env.f), *key}};
}

// A percentage as the chain's u16 take (65535 = 100%), to the nearest step.
result<std::uint16_t> parse_take(const std::string& text) {
  double percent = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), percent);
  if (ec != std::errc() || end != text.data() + text.size() || !(percent >= 0 && percent <= 100))
    return bad_flag("--take", "'" + text + "' is not a percentage from 0 to 100");
  return static_cast<std::uint16_t>(std::lround(percent * 65535.0 / 100.0));
}

result<chain::call> make_set_take(const tx_env& env) {
  auto hot = hotkey_address(env);
  if (!hot) return std::move(hot).error();
  auto take = parse_take(env.f.take);
  if (!take) return std::move(take).error();
  return chain::call{chain::set_delegate_take_call{*hot, *take}};
}

result<chain::call> make_root_vote(const tx_env& env) {
  return chain::call{chain::set_root_weights_call{env.f.uids, env.f.values}};
}

// What left the signer's balance besides the fee: the lock or the burn.
std::optional<rao> spent(net::gateway_client& c, const tx_flags& f, const sent_tx& t) {
  auto after = ask<net::account_info>(c, f, net::get_account{t.signer});
  if (!after || !t.landed || t.balance_before < after->balance + t.landed->fee) return std::nullopt;
  return t.balance_before - after->balance - t.landed->fee;
}

bool landed_ok(const sent_tx& t) { return t.landed && t.landed->state == net::tx_state::included; }

int run_register_subnet(const tx_flags& f) {
  auto c = connect_or_report(f);
  if (!c) return exit_error;
  auto sent = submit(f, signer_kind::coldkey, *c, make_register_subnet);
  if (!sent) return exit_error;
  json extra = json::object();
  std::string text;
  if (landed_ok(*sent)) {
    auto locked = spent(*c, f, *sent);
    auto list = ask<net::subnet_list>(*c, f, net::get_subnets{});
    if (!list || !locked) return exit_error;
    for (const auto& s : list->subnets) {
      if (s.registered_at != sent->landed->height || s.owner_coldkey != sent->signer) continue;
      extra = {{"netuid", s.netuid}, {"locked_rao", *locked}};
      text = "subnet " + std::to_string(s.netuid) + " registered, " + format_tao(*locked) + " TAO locked\n";
    }
  }
  return print_outcome(f, *sent, extra, text);
}

// The uid `hotkey` holds in the subnet: a new one is usually the last, else read every page.
std::optional<std::uint32_t> find_uid(net::gateway_client& c, const tx_flags& f,
                                      const crypto::public_key& hotkey) {
  auto s = ask<net::subnet_info>(c, f, net::get_subnet{f.netuid});
  if (!s || s->neuron_count == 0) return std::nullopt;
  for (std::uint32_t next = s->neuron_count - 1, pass = 0; pass < 2; ++pass, next = 0) {
    while (next < s->neuron_count) {
      auto page = ask<net::metagraph_page>(c, f, net::get_metagraph{f.netuid, next, 0, false, false});
      if (!page || page->neurons.empty()) return std::nullopt;
      for (const auto& n : page->neurons)
        if (n.hotkey == hotkey) return n.uid;
      next = page->next_uid;
    }
  }
  return std::nullopt;
}

int run_burned_register(const tx_flags& f) {
  auto c = connect_or_report(f);
  if (!c) return exit_error;
  auto before = ask<net::subnet_info>(*c, f, net::get_subnet{f.netuid});
  if (!before) return exit_error;
  crypto::public_key hotkey;
  auto sent = submit(f, signer_kind::coldkey, *c, [&](const tx_env& env) -> result<chain::call> {
    auto call = make_burned_register(env);
    if (call) hotkey = std::get<chain::burned_register_call>(*call).hotkey;
    return call;
  });
  if (!sent) return exit_error;
  json extra = {{"netuid", f.netuid}, {"hotkey", crypto::to_ss58(hotkey)},
                {"price_quoted_rao", before->burn_now}};
  std::string text = "registration price " + format_tao(before->burn_now) + " TAO at block " +
                     std::to_string(before->height + 1) + "\n";
  if (landed_ok(*sent)) {
    auto burned = spent(*c, f, *sent);
    auto uid = find_uid(*c, f, hotkey);
    if (!burned || !uid) return exit_error;
    extra["burned_rao"] = *burned;
    extra["uid"] = *uid;
    text = "registered as uid " + std::to_string(*uid) + " in subnet " + std::to_string(f.netuid) +
           ", " + format_tao(*burned) + " TAO burned\n";
  }
  return print_outcome(f, *sent, extra, text);
}

int run_commit(const tx_flags& f) {
  auto c = connect_or_report(f);
  if (!c) return exit_error;
  hash32 hash;
  auto sent = submit(f, signer_kind::hotkey, *c, [&](const tx_env& env) -> result<chain::call> {
    auto call = make_commit(env);
    if (call) hash = std::get<chain::commit_weights_call>(*call).hash;
    return call;
  });
  if (!sent) return exit_error;
  return print_outcome(f, *sent, {{"commit_hash", hash.hex()}}, "commit hash " + hash.hex() + "\n");
}

}  // namespace

void add_subnet_tx_commands(CLI::App* tx, std::shared_ptr<tx_flags> f, int& exit_code) {
  const auto cold = signer_kind::coldkey, hot = signer_kind::hotkey;
  auto bind = [f, &exit_code](signer_kind who, call_maker make) {
    return [f, &exit_code, who, make] { exit_code = run_tx(*f, who, make); };
  };
  auto own = [f, &exit_code](int (*fn)(const tx_flags&)) { return [f, &exit_code, fn] { exit_code = fn(*f); }; };
  auto netuid = [&f](CLI::App* sub) { sub->add_option("--netuid", f->netuid, "subnet id")->required(); };
  auto hotkey_flag = [&f](CLI::App* sub, const char* what) {
    sub->add_option("--hotkey", f->hotkey, what);
  };
  auto weights = [&f](CLI::App* sub, const char* uids_flag, const char* what) {
    sub->add_option(uids_flag, f->uids, what)->delimiter(',')->required();
    sub->add_option("--weights", f->values, "u16 weights, comma-separated, one per uid")
        ->delimiter(',')->required();
  };

  auto* reg_subnet = add_tx(tx, "register-subnet", "lock TAO and own a new subnet (coldkey signs)", *f, cold);
  hotkey_flag(reg_subnet, "owner hotkey: address or name in the wallet (default: default); takes uid 0");
  reg_subnet->callback(own(run_register_subnet));

  auto* set = add_tx(tx, "subnet-set", "change a subnet's hyperparameters (owner coldkey signs)", *f, cold);
  netuid(set);
  set->add_option("--param", f->params,
                  "NAME=VALUE, repeatable; the chain's names and units (blocks, rao, u16, true/false)")
      ->required();
  set->callback(bind(cold, make_subnet_set));

  auto* reg = add_tx(tx, "register", "burn the registration price for a uid (coldkey signs)", *f, cold);
  netuid(reg);
  hotkey_flag(reg, "hotkey to register: address or name in the wallet (default: default)");
  reg->callback(own(run_burned_register));

  auto* serve = add_tx(tx, "serve", "publish a neuron's endpoint (hotkey signs)", *f, hot);
  netuid(serve);
  serve->add_option("--ip", f->ip, "IPv4 or IPv6 address")->required();
  serve->add_option("--port", f->port, "port")->required();
  serve->add_option("--protocol", f->protocol, "tcp (default), udp or other");
  serve->add_option("--axon-version", f->axon_version, "the axon's software version (default 0)");
  serve->callback(bind(hot, make_serve));

  auto* set_weights = add_tx(tx, "set-weights", "set a neuron's weights (hotkey signs)", *f, hot);
  netuid(set_weights);
  weights(set_weights, "--uids", "target uids, comma-separated");
  set_weights->add_option("--version-key", f->version_key, "default: the subnet's weights_version_key");
  set_weights->callback(bind(hot, make_set_weights));

  auto commit_flags = [&](const char* name, const char* help) {
    auto* sub = add_tx(tx, name, help, *f, hot);
    netuid(sub);
    weights(sub, "--uids", "target uids, comma-separated");
    sub->add_option("--salt", f->salt, "the secret mixed into the commit hash, as text")->required();
    sub->add_option("--version-key", f->version_key, "default: the subnet's weights_version_key");
    return sub;
  };
  commit_flags("commit-weights", "commit to weights revealed later (hotkey signs)")
      ->callback(own(run_commit));
  commit_flags("reveal-weights", "reveal committed weights (hotkey signs)")
      ->callback(bind(hot, make_reveal));

  auto* take = add_tx(tx, "set-take", "set a delegate hotkey's take (owner coldkey signs)", *f, cold);
  hotkey_flag(take, "delegate hotkey: address or name in the wallet (default: default)");
  take->add_option("--take", f->take, "percent of delegators' dividends kept (e.g. 18)")->required();
  take->callback(bind(cold, make_set_take));

  auto* root = add_tx(tx, "root-vote", "vote how emission splits among subnets (hotkey signs)", *f, hot);
  weights(root, "--netuids", "subnet ids, comma-separated");
  root->callback(bind(hot, make_root_vote));
}

}  // namespace synod::app
