// `synod query metagraph|subnet|subnets`: a subnet's neurons, their last epoch's outputs and
// (on request) the weights and bonds matrices, read page by page through the gateway.

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <arpa/inet.h>

#include <array>
#include <cstdio>

#include "client.hpp"
#include "commands.hpp"
#include "synod/base/amount.hpp"
#include "synod/chain/tx.hpp"
#include "synod/crypto/address.hpp"

namespace synod::app {
namespace {

using json = nlohmann::json;

struct metagraph_flags : client_flags {
  std::uint16_t netuid = 0;
  bool weights = false;
  bool bonds = false;
  std::uint32_t from = 0;   // first uid shown
  std::uint32_t count = 0;  // uids shown; 0 = all
};

// Pages are read one by one; a block committed in between would mix two states, so the whole
// read starts over when the height moves, a few times at most.
constexpr int page_attempts = 4;

void emit(const json& doc) { std::printf("%s\n", doc.dump(2).c_str()); }

std::string short_key(const crypto::public_key& k) {
  auto s = crypto::to_ss58(k);
  return s.substr(0, 8) + ".." + s.substr(s.size() - 4);
}

// u16 proportions (65535 = 1.0) as people read them.
std::string fraction(std::uint16_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.4f", v / 65535.0);
  return buf;
}

// An axon's address as served: IPv4 from the last 4 of the 16 bytes, else IPv6.
std::string format_ip(const std::array<std::uint8_t, 16>& ip, std::uint8_t ip_type) {
  char buf[INET6_ADDRSTRLEN] = {};
  const bool v4 = ip_type == 4;
  inet_ntop(v4 ? AF_INET : AF_INET6, v4 ? ip.data() + 12 : ip.data(), buf, sizeof buf);
  return buf;
}

std::string hyperparam_label(std::uint8_t id) {
  return std::string(chain::hyperparam_name(static_cast<chain::hyperparam>(id)));
}

json hyperparam_json(const net::hyperparam_value& h) {
  if (h.id == static_cast<std::uint8_t>(chain::hyperparam::alpha_sigmoid_steepness))
    return static_cast<std::int64_t>(h.value);
  return h.value;
}

json subnet_json(const net::subnet_info& s) {
  json hp = json::object();
  for (const auto& h : s.hyperparams) hp[hyperparam_label(h.id)] = hyperparam_json(h);
  return {{"netuid", s.netuid},
          {"height", s.height},
          {"owner_coldkey", crypto::to_ss58(s.owner_coldkey)},
          {"owner_hotkey", crypto::to_ss58(s.owner_hotkey)},
          {"registered_at", s.registered_at},
          {"locked_rao", s.locked},
          {"neuron_count", s.neuron_count},
          {"burn_now_rao", s.burn_now},
          {"burn_now", format_tao(s.burn_now)},
          {"burn_rao", s.burn},
          {"burn_block", s.burn_block},
          {"epoch_index", s.epoch_index},
          {"last_epoch_block", s.last_epoch_block},
          {"next_epoch_block", s.next_epoch_block},
          {"hyperparams", hp}};
}

std::uint64_t hyperparam_of(const net::subnet_info& s, chain::hyperparam id) {
  for (const auto& h : s.hyperparams)
    if (h.id == static_cast<std::uint8_t>(id)) return h.value;
  return 0;
}

json row_json(const std::optional<std::vector<net::uid_value>>& row) {
  json out = json::array();
  if (row)
    for (const auto& e : *row) out.push_back({e.uid, e.value});
  return out;
}

json neuron_json(const net::neuron_view& n, const metagraph_flags& f) {
  json doc = {{"uid", n.uid},
              {"hotkey", crypto::to_ss58(n.hotkey)},
              {"coldkey", n.coldkey ? json(crypto::to_ss58(*n.coldkey)) : json(nullptr)},
              {"stake_rao", n.stake},
              {"stake", format_tao(n.stake)},
              {"registered_at", n.registered_at},
              {"last_update", n.last_update},
              {"emission_rao", n.emission},
              {"rank", n.rank},
              {"trust", n.trust},
              {"consensus", n.consensus},
              {"incentive", n.incentive},
              {"dividends", n.dividends},
              {"validator_trust", n.validator_trust},
              {"validator_permit", n.validator_permit},
              {"active", n.active},
              {"axon", nullptr}};
  if (n.axon) {
    const auto& a = *n.axon;
    doc["axon"] = {{"ip", format_ip(a.ip, a.ip_type)}, {"port", a.port}, {"ip_type", a.ip_type},
                   {"protocol", a.protocol}, {"version", a.version}, {"block", a.block}};
  }
  if (f.weights) doc["weights"] = row_json(n.weights);
  if (f.bonds) doc["bonds"] = row_json(n.bonds);
  return doc;
}

// Every page of the requested uids, all read at one height.
std::optional<net::metagraph_page> read_metagraph(net::gateway_client& c, const metagraph_flags& f) {
  for (int attempt = 0; attempt < page_attempts; ++attempt) {
    std::optional<net::metagraph_page> all;
    std::uint32_t next = f.from;
    bool moved = false;
    for (;;) {
      std::uint32_t want = 0;
      if (f.count != 0) want = f.from + f.count - next;
      auto page = ask<net::metagraph_page>(c, f, net::get_metagraph{f.netuid, next, want, f.weights, f.bonds});
      if (!page) return std::nullopt;
      if (all && page->subnet.height != all->subnet.height) {
        moved = true;
        break;
      }
      if (!all) all = net::metagraph_page{page->subnet, f.from, f.from, {}};
      for (auto& n : page->neurons) all->neurons.push_back(std::move(n));
      all->next_uid = page->next_uid;
      const bool done = page->next_uid >= page->subnet.neuron_count ||
                        (f.count != 0 && page->next_uid >= f.from + f.count) ||
                        page->neurons.empty();
      if (done) return all;
      next = page->next_uid;
    }
    if (!moved) break;
  }
  std::fprintf(stderr, "synod: the chain moved on while reading the metagraph %d times; try again\n",
               page_attempts);
  return std::nullopt;
}

void print_row_matrix(const char* what, const std::vector<net::neuron_view>& neurons,
                      bool weights) {
  std::printf("\n%s (uid -> uid=value, u16, 65535 = the row's largest)\n", what);
  for (const auto& n : neurons) {
    const auto& row = weights ? n.weights : n.bonds;
    std::printf("%5u ->", n.uid);
    if (!row || row->empty()) std::printf(" (none)");
    if (row)
      for (const auto& e : *row) std::printf(" %u=%u", e.uid, e.value);
    std::printf("\n");
  }
}

void print_metagraph(const net::metagraph_page& m, const metagraph_flags& f) {
  const auto& s = m.subnet;
  std::printf("subnet %u at block %llu: %u neurons, tempo %llu, next epoch at block %llu, "
              "registration %s TAO\n",
              s.netuid, static_cast<unsigned long long>(s.height), s.neuron_count,
              static_cast<unsigned long long>(hyperparam_of(s, chain::hyperparam::tempo)),
              static_cast<unsigned long long>(s.next_epoch_block), format_tao(s.burn_now).c_str());
  std::printf("%5s  %-14s  %18s  %6s  %9s  %9s  %9s  %16s  %6s  %8s  %6s\n", "uid", "hotkey",
              "stake (TAO)", "permit", "consensus", "incentive", "dividends", "emission (TAO)",
              "trust", "updated", "active");
  for (const auto& n : m.neurons)
    std::printf("%5u  %-14s  %18s  %6s  %9s  %9s  %9s  %16s  %6s  %8llu  %6s\n", n.uid,
                short_key(n.hotkey).c_str(), format_tao(n.stake).c_str(),
                n.validator_permit ? "yes" : "no", fraction(n.consensus).c_str(),
                fraction(n.incentive).c_str(), fraction(n.dividends).c_str(),
                format_tao(n.emission).c_str(), fraction(n.validator_trust).c_str(),
                static_cast<unsigned long long>(n.last_update), n.active ? "yes" : "no");
  if (f.weights) print_row_matrix("weights", m.neurons, true);
  if (f.bonds) print_row_matrix("bonds", m.neurons, false);
}

int run_metagraph(const metagraph_flags& f) {
  auto c = connect_or_report(f);
  if (!c) return exit_error;
  auto m = read_metagraph(*c, f);
  if (!m) return exit_error;
  if (!f.json) {
    print_metagraph(*m, f);
    return exit_ok;
  }
  json neurons = json::array();
  for (const auto& n : m->neurons) neurons.push_back(neuron_json(n, f));
  emit({{"netuid", f.netuid}, {"height", m->subnet.height}, {"subnet", subnet_json(m->subnet)},
        {"neurons", neurons}});
  return exit_ok;
}

void print_subnet(const net::subnet_info& s) {
  const auto tempo = hyperparam_of(s, chain::hyperparam::tempo);
  std::printf("subnet %u at block %llu\n", s.netuid, static_cast<unsigned long long>(s.height));
  std::printf("  owner        coldkey %s\n               hotkey  %s\n",
              crypto::to_ss58(s.owner_coldkey).c_str(), crypto::to_ss58(s.owner_hotkey).c_str());
  std::printf("  registered   block %llu, %s TAO locked\n",
              static_cast<unsigned long long>(s.registered_at), format_tao(s.locked).c_str());
  std::printf("  neurons      %u of %llu\n", s.neuron_count,
              static_cast<unsigned long long>(hyperparam_of(s, chain::hyperparam::max_allowed_uids)));
  std::printf("  burn now     %s TAO (a registration in block %llu)\n", format_tao(s.burn_now).c_str(),
              static_cast<unsigned long long>(s.height + 1));
  if (tempo == 0)
    std::printf("  epochs       %llu run; tempo 0: no more\n", static_cast<unsigned long long>(s.epoch_index));
  else
    std::printf("  epochs       %llu run, last at block %llu, next at block %llu (tempo %llu)\n",
                static_cast<unsigned long long>(s.epoch_index),
                static_cast<unsigned long long>(s.last_epoch_block),
                static_cast<unsigned long long>(s.next_epoch_block),
                static_cast<unsigned long long>(tempo));
  std::printf("  hyperparameters\n");
  for (const auto& h : s.hyperparams)
    std::printf("    %-30s %s\n", hyperparam_label(h.id).c_str(), hyperparam_json(h).dump().c_str());
}

int run_subnet(const metagraph_flags& f) {
  auto c = connect_or_report(f);
  if (!c) return exit_error;
  auto s = ask<net::subnet_info>(*c, f, net::get_subnet{f.netuid});
  if (!s) return exit_error;
  if (f.json)
    emit(subnet_json(*s));
  else
    print_subnet(*s);
  return exit_ok;
}

int run_subnets(const metagraph_flags& f) {
  auto c = connect_or_report(f);
  if (!c) return exit_error;
  auto l = ask<net::subnet_list>(*c, f, net::get_subnets{});
  if (!l) return exit_error;
  if (f.json) {
    json subnets = json::array();
    for (const auto& s : l->subnets) subnets.push_back(subnet_json(s));
    emit({{"height", l->height}, {"subnets", subnets}});
    return exit_ok;
  }
  std::printf("%zu subnets at block %llu\n", l->subnets.size(), static_cast<unsigned long long>(l->height));
  if (l->subnets.empty()) return exit_ok;
  std::printf("%6s  %8s  %6s  %16s  %10s  %s\n", "netuid", "neurons", "tempo", "burn now (TAO)",
              "next epoch", "owner coldkey");
  for (const auto& s : l->subnets)
    std::printf("%6u  %8u  %6llu  %16s  %10llu  %s\n", s.netuid, s.neuron_count,
                static_cast<unsigned long long>(hyperparam_of(s, chain::hyperparam::tempo)),
                format_tao(s.burn_now).c_str(), static_cast<unsigned long long>(s.next_epoch_block),
                crypto::to_ss58(s.owner_coldkey).c_str());
  return exit_ok;
}

}  // namespace

void add_subnet_queries(CLI::App* query, int& exit_code) {
  auto f = std::make_shared<metagraph_flags>();
  auto run = [f, &exit_code](int (*fn)(const metagraph_flags&)) {
    return [f, &exit_code, fn] { exit_code = fn(*f); };
  };
  auto* metagraph = query->add_subcommand("metagraph", "a subnet's neurons and their last epoch");
  metagraph->add_option("--netuid", f->netuid, "subnet id")->required();
  metagraph->add_flag("--weights", f->weights, "add the weights matrix");
  metagraph->add_flag("--bonds", f->bonds, "add the bonds matrix");
  metagraph->add_option("--from", f->from, "first uid shown (default 0)");
  metagraph->add_option("--count", f->count, "uids shown (default: all)");
  auto* subnet = query->add_subcommand("subnet", "a subnet's owner, hyperparameters and prices");
  subnet->add_option("--netuid", f->netuid, "subnet id")->required();
  auto* subnets = query->add_subcommand("subnets", "every subnet");
  for (auto* sub : {metagraph, subnet, subnets}) add_client_flags(sub, *f);
  metagraph->callback(run(run_metagraph));
  subnet->callback(run(run_subnet));
  subnets->callback(run(run_subnets));
}

}  // namespace synod::app
