#include "synod/config/genesis_toml.hpp"

#include "synod/config/errc.hpp"
#include "text_file.hpp"
#include "toml_fields.hpp"

namespace synod::config {
namespace {

using detail::place;

// Absent keys keep chain_params's defaults.
status read_amount_param(const toml::table& t, const place& at, std::string_view tao_key,
                         std::string_view rao_key, rao& out) {
  auto amount = detail::read_amount(t, at, tao_key, rao_key, out);
  if (!amount) return std::move(amount).error();
  out = *amount;
  return ok();
}

status read_u32_param(const toml::table& t, const place& at, std::string_view key,
                      std::uint32_t& out) {
  const auto* n = t.get(key);
  if (!n) return ok();
  auto v = detail::read_uint(*n, at.key(key), UINT32_MAX);
  if (!v) return std::move(v).error();
  out = static_cast<std::uint32_t>(*v);
  return ok();
}

status read_params(const toml::node& n, const place& at, chain::chain_params& p) {
  auto t = detail::read_table(n, at);
  if (!t) return std::move(t).error();
  SYNOD_TRY(detail::only_keys(**t, at, {"fee_base", "fee_base_rao", "fee_per_byte",
                                        "fee_per_byte_rao", "max_tx_bytes", "max_block_txs",
                                        "block_time_ms"}));
  SYNOD_TRY(read_amount_param(**t, at, "fee_base", "fee_base_rao", p.fee_base));
  SYNOD_TRY(read_amount_param(**t, at, "fee_per_byte", "fee_per_byte_rao", p.fee_per_byte));
  SYNOD_TRY(read_u32_param(**t, at, "max_tx_bytes", p.max_tx_bytes));
  SYNOD_TRY(read_u32_param(**t, at, "max_block_txs", p.max_block_txs));
  return read_u32_param(**t, at, "block_time_ms", p.block_time_ms);
}

result<crypto::public_key> read_entry_key(const toml::table& entry, const place& at) {
  auto n = detail::required(entry, at, "key");
  if (!n) return std::move(n).error();
  return detail::read_public_key(**n, at.key("key"));
}

// An absent list is an empty one: check_genesis owns the rule that one authority is needed.
result<const toml::array*> read_list(const toml::node* n, const place& at) {
  static const toml::array empty;
  if (!n) return &empty;
  return detail::read_table_array(*n, at);
}

status read_authorities(const toml::table& root, chain::genesis& g, const place& at) {
  auto list = read_list(root.get("authorities"), at);
  if (!list) return std::move(list).error();
  for (std::size_t i = 0; i < (*list)->size(); ++i) {
    const auto& entry = *(**list)[i].as_table();
    SYNOD_TRY(detail::only_keys(entry, at.item(i), {"key"}));
    auto key = read_entry_key(entry, at.item(i));
    if (!key) return std::move(key).error();
    g.authorities.push_back(*key);
  }
  return ok();
}

status read_balances(const toml::table& root, chain::genesis& g, const place& at) {
  auto list = read_list(root.get("balances"), at);
  if (!list) return std::move(list).error();
  for (std::size_t i = 0; i < (*list)->size(); ++i) {
    const auto& entry = *(**list)[i].as_table();
    SYNOD_TRY(detail::only_keys(entry, at.item(i), {"key", "amount", "amount_rao"}));
    auto key = read_entry_key(entry, at.item(i));
    if (!key) return std::move(key).error();
    auto amount = detail::read_amount(entry, at.item(i), "amount", "amount_rao", std::nullopt);
    if (!amount) return std::move(amount).error();
    g.balances.emplace_back(*key, *amount);
  }
  return ok();
}

result<chain::genesis> read_genesis(const toml::table& root, const place& at) {
  SYNOD_TRY(detail::only_keys(root, at, {"chain_name", "params", "authorities", "balances"}));
  chain::genesis g;
  auto name_node = detail::required(root, at, "chain_name");
  if (!name_node) return std::move(name_node).error();
  auto name = detail::read_string(**name_node, at.key("chain_name"));
  if (!name) return std::move(name).error();
  g.chain_name = *name;
  if (const auto* params = root.get("params"))
    SYNOD_TRY(read_params(*params, at.key("params"), g.params));
  SYNOD_TRY(read_authorities(root, g, at.key("authorities")));
  SYNOD_TRY(read_balances(root, g, at.key("balances")));
  return g;
}

}  // namespace

result<chain::genesis> parse_genesis(std::string_view toml_text, std::string_view source_name) {
  auto doc = detail::parse_document(toml_text, source_name);
  if (!doc) return std::move(doc).error();
  auto g = read_genesis(*doc, place{source_name, ""});
  if (!g) return g;
  if (auto sound = chain::check_genesis(*g); !sound)
    return sound.error().with_context(source_name);
  return g;
}

result<chain::genesis> load_genesis(const std::filesystem::path& path) {
  auto text = detail::read_text_file(path, max_genesis_file_size);
  if (!text) return std::move(text).error();
  return parse_genesis(*text, path.string());
}

}  // namespace synod::config
