#include "synod/config/node_toml.hpp"

#include <gtest/gtest.h>

#include "synod/config/errc.hpp"

namespace synod::config {
namespace {

const std::filesystem::path base = "/etc/synod";

TEST(NodeToml, ReadsEverySectionAndResolvesRelativePaths) {
  auto c = parse_node_config(R"(
data_dir = "data"
genesis = "/srv/genesis.toml"
shards = 8
threads = 2
sync_writes = false
[authority]
wallet_path = "wallets"
wallet = "validator"
hotkey = "block-signer"
[gateway]
rpc = "tcp://127.0.0.1:9000"
pub = "tcp://127.0.0.1:9001"
[mempool]
capacity = 5000
per_signer = 10
nonce_window = 20
[follow]
rpc = "tcp://127.0.0.1:9600"
pub = "tcp://127.0.0.1:9601"
[plugins]
forecast = "plugins/forecast.so"
classify = "/opt/synod/classify.so"
)", "node.toml", base);
  ASSERT_TRUE(c) << c.error().to_string();
  EXPECT_EQ(c->data_dir, base / "data");
  EXPECT_EQ(c->genesis_file, "/srv/genesis.toml");
  EXPECT_EQ(c->shards, 8u);
  EXPECT_EQ(c->threads, 2u);
  EXPECT_FALSE(c->sync_writes);
  ASSERT_TRUE(c->authority);
  EXPECT_EQ(c->authority->wallet_path, base / "wallets");
  EXPECT_EQ(c->authority->wallet, "validator");
  EXPECT_EQ(c->authority->hotkey, "block-signer");
  EXPECT_EQ(c->rpc_endpoint, "tcp://127.0.0.1:9000");
  EXPECT_EQ(c->pub_endpoint, "tcp://127.0.0.1:9001");
  EXPECT_EQ(c->mempool.capacity, 5000u);
  EXPECT_EQ(c->mempool.per_signer, 10u);
  EXPECT_EQ(c->mempool.nonce_window, 20u);
  ASSERT_TRUE(c->follow);
  EXPECT_EQ(c->follow->first, "tcp://127.0.0.1:9600");
  EXPECT_EQ(c->follow->second, "tcp://127.0.0.1:9601");
  ASSERT_EQ(c->plugins.size(), 2u);
  EXPECT_EQ(c->plugins.at("forecast"), base / "plugins/forecast.so");
  EXPECT_EQ(c->plugins.at("classify"), "/opt/synod/classify.so");
}

TEST(NodeToml, DefaultsAndNoAuthority) {
  auto c = parse_node_config("data_dir = \"d\"\ngenesis = \"g.toml\"\n", "node.toml", base);
  ASSERT_TRUE(c) << c.error().to_string();
  EXPECT_EQ(c->shards, 4u);
  EXPECT_TRUE(c->sync_writes);
  EXPECT_FALSE(c->authority);
  EXPECT_FALSE(c->follow);
  EXPECT_EQ(c->rpc_endpoint, "tcp://127.0.0.1:7600");
}

TEST(NodeToml, BadInputNamesTheKey) {
  auto expect = [](std::string_view text, errc code, std::string_view needle) {
    auto c = parse_node_config(text, "node.toml", base);
    ASSERT_FALSE(c) << text;
    EXPECT_TRUE(c.error().is(code)) << c.error().to_string();
    EXPECT_NE(c.error().message().find(needle), std::string::npos) << c.error().message();
  };
  expect("genesis = \"g\"\n", errc::missing_key, "data_dir");
  expect("data_dir = \"d\"\ngenesis = \"g\"\nshard = 3\n", errc::unknown_key, "shard");
  expect("data_dir = \"d\"\ngenesis = \"g\"\nshards = 0\n", errc::bad_value, "shards");
  expect("data_dir = \"d\"\ngenesis = \"g\"\nshards = -2\n", errc::bad_value, "shards");
  expect("data_dir = \"d\"\ngenesis = \"g\"\n[authority]\nwallet_path = \"w\"\n", errc::missing_key,
         "authority.wallet");
  expect("data_dir = \"d\"\ngenesis = \"g\"\n[gateway]\nrpc = 7\n", errc::bad_value, "gateway.rpc");
  expect("data_dir = \"d\"\ngenesis = \n", errc::syntax, "node.toml:2");
  expect("data_dir = \"d\"\ngenesis = \"g\"\n[follow]\nrpc = \"x\"\n", errc::missing_key, "follow.pub");
  expect("data_dir = \"d\"\ngenesis = \"g\"\n[plugins]\nforecast = 3\n", errc::bad_value, "plugins.forecast");
  expect("data_dir = \"d\"\ngenesis = \"g\"\n[plugins]\nforecast = \"\"\n", errc::bad_value, "plugins.forecast");
  auto missing = load_node_config("/nonexistent/node.toml");
  ASSERT_FALSE(missing);
  EXPECT_TRUE(missing.error().is(errc::not_found));
}

}  // namespace
}  // namespace synod::config
