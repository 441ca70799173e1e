#include "synod/chain/genesis.hpp"

#include "chain_fixture.hpp"

namespace synod::chain::testing {
namespace {

using Genesis = ChainFixture;

TEST_F(Genesis, ChainIdIgnoresBalanceOrderButNotContent) {
  ASSERT_TRUE(check_genesis(g));
  auto id = chain_id(g);
  auto reordered = g;
  std::swap(reordered.balances[0], reordered.balances[1]);
  EXPECT_EQ(chain_id(reordered), id);
  auto richer = g;
  richer.balances[0].second += 1;
  EXPECT_NE(chain_id(richer), id);
  auto renamed = g;
  renamed.chain_name = "other";
  EXPECT_NE(chain_id(renamed), id);
  auto pricier = g;
  pricier.params.fee_base += 1;
  EXPECT_NE(chain_id(pricier), id);
}

TEST_F(Genesis, StateHoldsTheBalancesAndIssuance) {
  EXPECT_EQ(get_account(state, alice.public_key()).balance, 1000 * rao_per_tao);
  EXPECT_EQ(get_totals(state).issuance, 1010 * rao_per_tao);
  expect_supply_invariant(state);
}

TEST_F(Genesis, RejectsUnsoundGenesis) {
  auto expect_bad = [](const genesis& bad, std::string_view needle) {
    auto st = check_genesis(bad);
    ASSERT_FALSE(st) << needle;
    EXPECT_TRUE(st.error().is(errc::bad_genesis));
    EXPECT_NE(st.error().message().find(needle), std::string::npos) << st.error().message();
  };
  auto g1 = g;
  g1.authorities.clear();
  expect_bad(g1, "authority");
  auto g2 = g;
  g2.authorities.push_back(g2.authorities[0]);
  expect_bad(g2, "twice");
  auto g3 = g;
  g3.balances.push_back(g3.balances[0]);
  expect_bad(g3, "twice");
  auto g4 = g;
  g4.balances = {{alice.public_key(), max_supply}, {bob.public_key(), 1}};
  expect_bad(g4, "21,000,000");
  auto g5 = g;
  g5.chain_name.clear();
  expect_bad(g5, "name");
  auto g6 = g;
  g6.params.max_tx_bytes = 10;
  expect_bad(g6, "max_tx_bytes");
}

}  // namespace
}  // namespace synod::chain::testing
