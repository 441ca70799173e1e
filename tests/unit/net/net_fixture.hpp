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
          get_tx{filled(0x41)}};
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
          tx_info{tx_state::failed, 12, 4, 100'400, "chain.insufficient_balance"}};
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
      },
      body);
}

}  // namespace synod::net::testing
