#include "synod/config/genesis_toml.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "synod/chain/errc.hpp"
#include "synod/config/errc.hpp"
#include "synod/crypto/address.hpp"

namespace synod::config {
namespace {

namespace fs = std::filesystem;

// The public test seeds the example file's keys come from: 32 bytes, each equal to `n`.
crypto::public_key seed_key(std::uint8_t n) {
  std::array<std::uint8_t, 32> raw{};
  raw.fill(n);
  return crypto::keypair::from_seed(crypto::seed(raw)).public_key();
}

std::string ss58(std::uint8_t n) { return crypto::to_ss58(seed_key(n)); }

// The smallest sound genesis, with `extra` lines added at the end.
std::string minimal(std::string_view extra = "") {
  return "chain_name = \"t\"\n[[authorities]]\nkey = \"" + ss58(1) + "\"\n" + std::string(extra);
}

std::string balance(std::string_view key, std::string_view amount_line) {
  return "[[balances]]\nkey = \"" + std::string(key) + "\"\n" + std::string(amount_line) + "\n";
}

// Parses `text` as "test.toml" and checks that it fails with `code` and a message holding
// every one of `needles`.
template <class E>
void expect_error(std::string_view text, E code, std::initializer_list<std::string_view> needles) {
  auto g = parse_genesis(text, "test.toml");
  ASSERT_FALSE(g) << text;
  const auto& e = g.error();
  EXPECT_TRUE(e.is(code)) << e.to_string();
  EXPECT_EQ(e.message().rfind("test.toml", 0), 0u) << e.to_string();
  for (auto needle : needles)
    EXPECT_NE(e.message().find(needle), std::string::npos) << needle << " in " << e.to_string();
}

TEST(GenesisToml, ExampleFileParsesToItsSeedKeys) {
  auto g = load_genesis(fs::path(SYNOD_SOURCE_DIR) / "examples/genesis/localnet.toml");
  ASSERT_TRUE(g) << g.error().to_string();
  EXPECT_EQ(g->chain_name, "synod-localnet");
  chain::chain_params expected;
  expected.block_time_ms = 500;
  EXPECT_EQ(g->params, expected);
  EXPECT_EQ(g->authorities, std::vector{seed_key(1)});
  using entry = std::pair<crypto::public_key, rao>;
  EXPECT_EQ(g->balances, (std::vector<entry>{{seed_key(2), 1000 * rao_per_tao},
                                             {seed_key(3), 2 * rao_per_tao + rao_per_tao / 2}}));
}

TEST(GenesisToml, AbsentParamsKeepTheirDefaults) {
  auto g = parse_genesis(minimal(), "test.toml");
  ASSERT_TRUE(g) << g.error().to_string();
  EXPECT_EQ(g->params, chain::chain_params{});
  EXPECT_TRUE(g->balances.empty());
}

TEST(GenesisToml, AmountsReadAsTaoStringsOrRaoIntegers) {
  auto g = parse_genesis(minimal("[params]\nfee_base_rao = 7\nfee_per_byte = \"0.000000002\"\n" +
                                 balance(ss58(2), "amount = \"1_000.000000001\"") +
                                 balance(seed_key(3).hex(), "amount_rao = 5")),
                         "test.toml");
  ASSERT_TRUE(g) << g.error().to_string();
  EXPECT_EQ(g->params.fee_base, 7u);
  EXPECT_EQ(g->params.fee_per_byte, 2u);
  ASSERT_EQ(g->balances.size(), 2u);
  EXPECT_EQ(g->balances[0].second, 1000 * rao_per_tao + 1);
  EXPECT_EQ(g->balances[1], std::pair(seed_key(3), rao{5}));
}

TEST(GenesisToml, SyntaxErrorGivesLineAndColumn) {
  expect_error("chain_name = \"t\"\n\nmax_tx_bytes = = 3\n", errc::syntax, {"test.toml:3:"});
  expect_error("chain_name = \"t\"\nchain_name = \"again\"\n", errc::syntax, {"test.toml:2:"});
}

TEST(GenesisToml, UnknownKeysAreRejectedEverywhere) {
  expect_error("chain_name = \"t\"\nchian_name = \"x\"\n", errc::unknown_key,
               {"test.toml:2:1: chian_name", "the top level takes chain_name"});
  expect_error(minimal("[params]\nfee_bas = \"1\"\n"), errc::unknown_key,
               {"params.fee_bas", "fee_base"});
  expect_error(minimal("label = \"a\"\n"), errc::unknown_key, {"authorities[0].label"});
  expect_error(minimal(balance(ss58(2), "amout = \"1\"")), errc::unknown_key,
               {"balances[0].amout", "amount_rao"});
}

TEST(GenesisToml, BadAddressCarriesTheCryptoReason) {
  std::string typo = ss58(2);
  typo[10] = typo[10] == 'a' ? 'b' : 'a';
  expect_error(minimal(balance(ss58(3), "amount = \"1\"") + balance(typo, "amount = \"1\"")),
               errc::bad_value, {"balances[1].key", "checksum"});
  expect_error("chain_name = \"t\"\n[[authorities]]\nkey = \"5Grw0\"\n", errc::bad_value,
               {"test.toml:3:7: authorities[0].key", "not base58"});
}

TEST(GenesisToml, AmountWithTenDecimalsIsRejected) {
  expect_error(minimal(balance(ss58(2), "amount = \"1.0000000001\"")), errc::bad_value,
               {"balances[0].amount", "9 decimal places"});
}

TEST(GenesisToml, IntegersMustBeNonNegativeAndFit) {
  expect_error(minimal(balance(ss58(2), "amount_rao = -5")), errc::bad_value,
               {"balances[0].amount_rao", "-5 is negative"});
  expect_error(minimal("[params]\nmax_tx_bytes = 4294967296\n"), errc::bad_value,
               {"params.max_tx_bytes", "larger than 4294967295"});
}

TEST(GenesisToml, WrongTypesNameTheKey) {
  expect_error(minimal(balance(ss58(2), "amount = 1.5")), errc::bad_value,
               {"balances[0].amount", "decimal string", "found a float"});
  expect_error(minimal("[params]\nblock_time_ms = \"500\"\n"), errc::bad_value,
               {"params.block_time_ms", "expected an integer, found a string"});
  expect_error("chain_name = 5\n", errc::bad_value, {"chain_name", "expected a string"});
  expect_error("chain_name = \"t\"\nparams = 3\n", errc::bad_value, {"params", "a table"});
  expect_error("chain_name = \"t\"\nauthorities = [\"" + ss58(1) + "\"]\n", errc::bad_value,
               {"authorities[0]", "expected a table, found a string"});
}

TEST(GenesisToml, AmountNeedsExactlyOneSpelling) {
  expect_error(minimal(balance(ss58(2), "amount = \"1\"\namount_rao = 1")), errc::bad_value,
               {"balances[0].amount_rao", "not both"});
  expect_error(minimal(balance(ss58(2), "")), errc::missing_key,
               {"balances[0]", "amount_rao"});
  expect_error(minimal("[[balances]]\namount = \"1\"\n"), errc::missing_key,
               {"balances[0].key"});
  expect_error("[[authorities]]\nkey = \"" + ss58(1) + "\"\n", errc::missing_key,
               {"chain_name"});
}

TEST(GenesisToml, CheckGenesisErrorsKeepTheirCodeAndNameTheFile) {
  expect_error(minimal(balance(ss58(2), "amount = \"1\"") + balance(ss58(2), "amount = \"2\"")),
               chain::errc::bad_genesis, {"test.toml: ", seed_key(2).hex(), "twice"});
  expect_error("chain_name = \"t\"\n", chain::errc::bad_genesis, {"authority"});
}

TEST(GenesisToml, MissingFileIsNotFoundAndADirectoryIsAnIoError) {
  fs::path dir = fs::temp_directory_path() / ("synod-config-test-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  auto missing = load_genesis(dir / "genesis.toml");
  ASSERT_FALSE(missing);
  EXPECT_TRUE(missing.error().is(errc::not_found)) << missing.error().to_string();
  EXPECT_NE(missing.error().message().find((dir / "genesis.toml").string()), std::string::npos);
  fs::create_directories(dir);
  auto unreadable = load_genesis(dir);
  ASSERT_FALSE(unreadable);
  EXPECT_TRUE(unreadable.error().is(errc::io_error)) << unreadable.error().to_string();
  EXPECT_NE(unreadable.error().message().find(dir.string()), std::string::npos);
  fs::remove_all(dir);
}

TEST(GenesisToml, OversizeFileIsRefusedBeforeParsing) {
  fs::path file = fs::temp_directory_path() /
                  ("synod-config-test-" + std::to_string(::getpid()) + "-big.toml");
  { std::ofstream create(file); }
  fs::resize_file(file, max_genesis_file_size + 1);  // sparse: no disk space is used
  auto big = load_genesis(file);
  fs::remove(file);
  ASSERT_FALSE(big);
  EXPECT_TRUE(big.error().is(errc::too_large)) << big.error().to_string();
}

TEST(GenesisToml, WrittenGenesisReadsBackWithTheSameChainId) {
  chain::genesis g;
  g.chain_name = "quote \" back\\slash\nnew line";
  g.params.fee_base = 1;
  g.params.fee_per_byte = 123'456'789'012;
  g.params.max_block_txs = 77;
  g.authorities = {seed_key(1), seed_key(4)};
  g.balances = {{seed_key(2), 1}, {seed_key(3), 20'999'999 * rao_per_tao + 123}};
  ASSERT_TRUE(chain::check_genesis(g));
  auto text = genesis_to_toml(g);
  auto back = parse_genesis(text, "written.toml");
  ASSERT_TRUE(back) << back.error().to_string() << "\n" << text;
  EXPECT_EQ(back->chain_name, g.chain_name);
  EXPECT_EQ(back->params, g.params);
  EXPECT_EQ(back->authorities, g.authorities);
  EXPECT_EQ(back->balances, g.balances);
  EXPECT_EQ(chain::chain_id(*back), chain::chain_id(g));
  EXPECT_NE(text.find("key = \"" + ss58(4) + "\""), std::string::npos) << text;
  EXPECT_NE(text.find("amount = \"20999999.000000123\""), std::string::npos) << text;
}

TEST(GenesisToml, ExampleFileSurvivesARoundTrip) {
  auto g = load_genesis(fs::path(SYNOD_SOURCE_DIR) / "examples/genesis/localnet.toml");
  ASSERT_TRUE(g) << g.error().to_string();
  auto back = parse_genesis(genesis_to_toml(*g), "written.toml");
  ASSERT_TRUE(back) << back.error().to_string();
  EXPECT_EQ(chain::chain_id(*back), chain::chain_id(*g));
}

}  // namespace
}  // namespace synod::config
