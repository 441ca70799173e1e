#pragma once
// Sample values of every protocol type, and a handler that answers each request kind from its
// arguments alone, so a test can predict every answer.

#include <gtest/gtest.h>

#include <vector>

#include "synod/net/codec.hpp"

namespace synod::net::testing {

inline hash32 filled(std::uint8_t b) {
  hash32 h;
  h.data.fill(b);
  h.data[31] = static_cast<std::uint8_t>(b ^ 0x5a);  // not a constant run: catches byte order
  return h;
}

inline std::vector<request_body> sample_request_bodies() {
  return {submit_tx{bytes{1, 2, 3, 4, 5}},
          submit_tx{},
          get_account{filled(0x11)},
          get_stake{filled(0x21), filled(0x22)},
          get_head{},
          get_block{7, std::nullopt},
          get_block{0, std::nullopt},  // height 0 must survive: it is not "no height"
          get_block{std::nullopt, filled(0x31)},
          get_block{9, filled(0x32)},
          get_block{},
          get_tx{filled(0x41)},
          get_subnet{0},
          get_subnet{65535},
          get_subnets{},
          get_metagraph{},
          get_metagraph{7, 4096, 100, true, false},
          get_metagraph{1, 0, 0, false, true},
          swap_plugin{"forecast", "/opt/plugins/forecast-1.1.so", std::nullopt, ""},
          swap_plugin{"f", "", filled(0x33), "0a1b2c"},
          list_plugins{},
          list_plugins{"cookie"}};
}

inline plugin_view sample_plugin(std::uint8_t n) {
  return {"slot" + std::to_string(n), "forecast", "1.0." + std::to_string(n), filled(n), "/p/forecast.so", n};
}

inline subnet_info sample_subnet(std::uint16_t netuid) {
  return {900, netuid, filled(0x71), filled(0x72), 10, 2'000'000'000'000, 890, 3, 1250, 700'000,
          880, 690'000, 3, {{1, 360}, {9, std::uint64_t(-1000)}, {25, 0}, {28, 1}}};
}

/// Every optional part both present and absent: coldkey, axon, weights and bonds rows (empty
/// and not).
inline metagraph_page sample_metagraph() {
  neuron_view bare;
  bare.hotkey = filled(0x81);
  neuron_view full{2, filled(0x82), filled(0x83), 5'000'000'000, 11, 12, 13,
                   1, 2, 3, 4, 5, 6, true, true, std::nullopt, std::vector<uid_value>{},
                   std::vector<uid_value>{{0, 65535}, {2, 0}}};
  full.axon = axon_view{{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 127, 0, 0, 1}, 8091, 4, 0, 7, 20};
  return {sample_subnet(7), 1, 3, {bare, full}};
}

inline std::vector<response_body> sample_response_bodies() {
  return {error_info{"chain.nonce_too_low", "nonce 7 already used, next is 9"},
          submitted{filled(0x51)},
          account_info{1'500'000'000, 3, std::nullopt},
          account_info{0, 0, filled(0x52)},
          stake_info{42},
          head_view{12, filled(0x53), 40, 10, filled(0x54), 5, 6, 7, 8, filled(0x56)},
          block_info{12, filled(0x55), bytes{9, 8, 7}},
          tx_info{tx_state::unknown, 0, 0, 0, ""},
          tx_info{tx_state::pending, 0, 0, 0, ""},
          tx_info{tx_state::included, 12, 3, 100'400, ""},
          tx_info{tx_state::failed, 12, 4, 100'400, "chain.insufficient_balance"},
          sample_subnet(1),
          sample_subnet(65535),
          subnet_list{5, {}},
          subnet_list{6, {sample_subnet(1), sample_subnet(2)}},
          sample_metagraph(),
          metagraph_page{sample_subnet(3), 0, 0, {}},
          plugin_swapped{"", sample_plugin(1), 0},
          plugin_swapped{"1.0.0", sample_plugin(2), 1234},
          plugin_list{},
          plugin_list{{sample_plugin(3), sample_plugin(4)}}};
}

inline block_event sample_event(std::uint64_t height) {
  return {height, filled(static_cast<std::uint8_t>(height)), 2, {filled(0x61), filled(0x62)}};
}

template <class... F>
struct overloaded : F... {
  using F::operator()...;
};
template <class... F>
overloaded(F...) -> overloaded<F...>;

/// What the test server answers: a pure function of the request.
inline response_body answer_each_kind(const request_body& body) {
  return std::visit(
      overloaded{
          [](const submit_tx& r) -> response_body {
            return submitted{filled(static_cast<std::uint8_t>(r.envelope.size()))};
          },
          [](const get_account& r) -> response_body {
            return account_info{r.key.data[0] * 1000u, r.key.data[1], r.key};
          },
          [](const get_stake& r) -> response_body {
            return stake_info{rao{r.hotkey.data[0]} + r.coldkey.data[0]};
          },
          [](const get_head&) -> response_body {
            return head_view{12, filled(1), 40, 10, filled(2), 5, 6, 7, 8, filled(5)};
          },
          [](const get_block& r) -> response_body {
            return block_info{r.height.value_or(99), r.hash.value_or(filled(3)), bytes{1, 2}};
          },
          [](const get_tx& r) -> response_body {
            return tx_info{tx_state::failed, r.id.data[0], 1, 2, "chain.zero_amount"};
          },
          [](const get_subnet& r) -> response_body { return sample_subnet(r.netuid); },
          [](const get_subnets&) -> response_body { return subnet_list{6, {sample_subnet(1)}}; },
          [](const get_metagraph& r) -> response_body {
            auto m = sample_metagraph();
            m.subnet.netuid = r.netuid;
            m.first_uid = r.first_uid;
            return m;
          },
          [](const swap_plugin& r) -> response_body {
            auto v = sample_plugin(7);
            v.name = r.name;
            v.file = r.path;
            return plugin_swapped{"0.9.0", v, 10};
          },
          [](const list_plugins&) -> response_body { return plugin_list{{sample_plugin(5)}}; },
      },
      body);
}

}  // namespace synod::net::testing
