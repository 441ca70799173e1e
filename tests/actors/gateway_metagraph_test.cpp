// The gateway's subnet answers against an in-memory state: views of a subnet, an unknown
// netuid, and paging a metagraph too big for one answer.

#include <gtest/gtest.h>

#include "actors/gateway/metagraph.hpp"
#include "synod/chain/subnet.hpp"
#include "synod/chain/subnet_rules.hpp"

namespace synod::actors {
namespace {

using chain::memory_state;
using chain::overlay;

chain::subnet_info sample_subnet(std::uint32_t neurons) {
  chain::subnet_info info;
  info.owner_coldkey.data.fill(1);
  info.owner_hotkey.data.fill(2);
  info.registered_at = 5;
  info.last_epoch_block = 100;
  info.burn = 2 * rao_per_tao;
  info.burn_block = 90;
  info.neuron_count = neurons;
  info.hp.tempo = 10;
  info.hp.alpha_sigmoid_steepness = -3;
  return info;
}

// A subnet of `n` neurons, each with a dense weights row over every uid.
void fill_subnet(overlay& s, chain::netuid_t netuid, std::uint32_t n, bool dense) {
  chain::put_subnet(s, netuid, sample_subnet(n));
  chain::u16_row row;
  if (dense)
    for (std::uint32_t j = 0; j < n; ++j) row.push_back({static_cast<chain::uid_t>(j), 7});
  for (std::uint32_t uid = 0; uid < n; ++uid) {
    chain::neuron neuron;
    neuron.hotkey.data.fill(static_cast<std::uint8_t>(uid));
    neuron.hotkey.data[0] = static_cast<std::uint8_t>(uid >> 8);
    neuron.incentive = static_cast<std::uint16_t>(uid);
    chain::put_neuron(s, netuid, static_cast<chain::uid_t>(uid), neuron);
    if (dense) chain::put_weights(s, netuid, static_cast<chain::uid_t>(uid), row);
  }
}

TEST(GatewayMetagraph, UnknownAndRootNetuidsAreSubnetNotFound) {
  memory_state base;
  overlay s(base, false);
  for (std::uint16_t netuid : {std::uint16_t{0}, std::uint16_t{1}, std::uint16_t{65535}}) {
    auto r = answer_metagraph(s, 7, net::get_metagraph{netuid});
    ASSERT_TRUE(std::holds_alternative<net::error_info>(r));
    EXPECT_EQ(std::get<net::error_info>(r).code, "chain.subnet_not_found");
    EXPECT_EQ(std::get<net::error_info>(r).message, "no subnet has netuid " + std::to_string(netuid));
    EXPECT_TRUE(std::holds_alternative<net::error_info>(answer_subnet(s, 7, {netuid})));
  }
}

TEST(GatewayMetagraph, SubnetViewHasPricesClockAndEveryHyperparameter) {
  memory_state base;
  overlay s(base, false);
  fill_subnet(s, 3, 2, false);
  auto r = answer_subnet(s, 120, {3});
  ASSERT_TRUE(std::holds_alternative<net::subnet_info>(r));
  const auto& v = std::get<net::subnet_info>(r);
  const auto info = sample_subnet(2);
  EXPECT_EQ(v.height, 120u);
  EXPECT_EQ(v.netuid, 3);
  EXPECT_EQ(v.owner_coldkey, info.owner_coldkey);
  EXPECT_EQ(v.burn_now, chain::burn_at(info, 121));
  EXPECT_EQ(v.next_epoch_block, 121u);  // last 100 + tempo 10 is past: due next block
  EXPECT_EQ(std::get<net::subnet_info>(answer_subnet(s, 95, {3})).next_epoch_block, 110u);
  ASSERT_EQ(v.hyperparams.size(), chain::hyperparam_count);
  for (std::size_t i = 0; i < v.hyperparams.size(); ++i) EXPECT_EQ(v.hyperparams[i].id, i + 1);
  auto steep = v.hyperparams[static_cast<int>(chain::hyperparam::alpha_sigmoid_steepness) - 1];
  EXPECT_EQ(static_cast<std::int64_t>(steep.value), -3);
  EXPECT_EQ(v.hyperparams[0].value, 10u);  // tempo
}

TEST(GatewayMetagraph, ListsEverySubnet) {
  memory_state base;
  overlay s(base, false);
  fill_subnet(s, 1, 1, false);
  fill_subnet(s, 2, 3, false);
  auto net = chain::get_network(s);
  net.subnet_count = 2;
  chain::put_network(s, net);
  auto l = std::get<net::subnet_list>(answer_subnets(s, 9));
  ASSERT_EQ(l.subnets.size(), 2u);
  EXPECT_EQ(l.subnets[1].netuid, 2);
  EXPECT_EQ(l.subnets[1].neuron_count, 3u);
}

TEST(GatewayMetagraph, PagesABigSubnetUnderTheBudgetWithEveryUidOnce) {
  memory_state base;
  overlay s(base, false);
  const std::uint32_t n = 2100;  // dense rows of 2100 entries: about 3 pages
  fill_subnet(s, 1, n, true);
  std::uint32_t next = 0, pages = 0;
  while (next < n) {
    auto r = answer_metagraph(s, 50, net::get_metagraph{1, next, 0, true, false});
    ASSERT_TRUE(std::holds_alternative<net::metagraph_page>(r));
    const auto& page = std::get<net::metagraph_page>(r);
    ASSERT_FALSE(page.neurons.empty());
    EXPECT_EQ(page.first_uid, next);
    for (const auto& neuron : page.neurons) {
      EXPECT_EQ(neuron.uid, next++);
      ASSERT_TRUE(neuron.weights);
      EXPECT_EQ(neuron.weights->size(), n);
      EXPECT_FALSE(neuron.bonds);
    }
    EXPECT_EQ(page.next_uid, next);
    EXPECT_LE(net::encode(net::response{1, page}).size(), net::max_metagraph_page_bytes);
    ++pages;
  }
  EXPECT_GE(pages, 2u);
}

TEST(GatewayMetagraph, KeepsToMaxNeuronsAndAnswersPastTheEndEmpty) {
  memory_state base;
  overlay s(base, false);
  fill_subnet(s, 1, 5, false);
  auto page = std::get<net::metagraph_page>(answer_metagraph(s, 1, net::get_metagraph{1, 1, 2}));
  ASSERT_EQ(page.neurons.size(), 2u);
  EXPECT_EQ(page.neurons[1].incentive, 2);
  EXPECT_EQ(page.next_uid, 3u);
  EXPECT_FALSE(page.neurons[0].weights);
  auto past = std::get<net::metagraph_page>(answer_metagraph(s, 1, net::get_metagraph{1, 9}));
  EXPECT_TRUE(past.neurons.empty());
  EXPECT_GE(past.next_uid, past.subnet.neuron_count);
}

}  // namespace
}  // namespace synod::actors
