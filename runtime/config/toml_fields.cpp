#include "toml_fields.hpp"

#include "synod/crypto/address.hpp"

namespace synod::config::detail {

result<toml::table> parse_document(std::string_view text, std::string_view source_name) {
  try {
    return toml::parse(text, source_name);
  } catch (const toml::parse_error& e) {
    place at{source_name, ""};
    return error(errc::syntax, at.describe(e.source()) + ": " + std::string(e.description()));
  }
}
namespace {

std::string_view type_name(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::none: return "nothing";
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
  }
  return "an unknown type";
}

error wrong_type(const place& at, const toml::node& n, std::string_view expected) {
  std::string why = "expected ";
  why.append(expected).append(", found ").append(type_name(n));
  return bad_value(at, n, why);
}

std::string list(std::initializer_list<std::string_view> names) {
  std::string out;
  for (auto name : names) out.append(out.empty() ? "" : ", ").append(name);
  return out;
}

result<rao> read_tao(const toml::node& n, const place& at) {
  // A TOML float cannot hold every rao count exactly (0.1 TAO is not a binary fraction), so
  // TAO comes as decimal text and whole rao as an integer under the *_rao key.
  if (!n.is_string()) return wrong_type(at, n, "TAO as a decimal string such as \"1.5\"");
  auto amount = parse_tao(n.as_string()->get());
  if (!amount) return bad_value(at, n, amount.error().message());
  return *amount;
}

}  // namespace

place place::key(std::string_view name) const {
  return {source, path.empty() ? std::string(name) : path + "." + std::string(name)};
}

place place::item(std::size_t index) const {
  return {source, path + "[" + std::to_string(index) + "]"};
}

std::string place::describe(const toml::source_region& where) const {
  std::string out(source);
  if (where.begin.line != 0)
    out.append(":").append(std::to_string(where.begin.line))
        .append(":").append(std::to_string(where.begin.column));
  if (!path.empty()) out.append(": ").append(path);
  return out;
}

error bad_value(const place& at, const toml::node& n, std::string_view why) {
  return error(errc::bad_value, at.describe(n.source()) + ": " + std::string(why));
}

status only_keys(const toml::table& t, const place& at,
                 std::initializer_list<std::string_view> allowed) {
  for (auto&& [k, v] : t) {
    bool known = false;
    for (auto name : allowed) known = known || k.str() == name;
    if (known) continue;
    std::string where = at.path.empty() ? "the top level" : at.path;
    return error(errc::unknown_key, at.key(k.str()).describe(k.source()) + ": unknown key (" +
                                        where + " takes " + list(allowed) + ")");
  }
  return ok();
}

result<const toml::node*> required(const toml::table& t, const place& at, std::string_view name) {
  if (const auto* n = t.get(name)) return n;
  return error(errc::missing_key, at.key(name).describe(t.source()) + ": missing");
}

result<std::string> read_string(const toml::node& n, const place& at) {
  if (const auto* s = n.as_string()) return s->get();
  return wrong_type(at, n, "a string");
}

result<const toml::table*> read_table(const toml::node& n, const place& at) {
  if (const auto* t = n.as_table()) return t;
  return wrong_type(at, n, "a table");
}

result<const toml::array*> read_table_array(const toml::node& n, const place& at) {
  const auto* a = n.as_array();
  if (!a) return wrong_type(at, n, "an array of tables ([[" + at.path + "]])");
  for (std::size_t i = 0; i < a->size(); ++i)
    if (!(*a)[i].is_table()) return wrong_type(at.item(i), (*a)[i], "a table");
  return a;
}

result<std::uint64_t> read_uint(const toml::node& n, const place& at, std::uint64_t max) {
  const auto* i = n.as_integer();
  if (!i) return wrong_type(at, n, "an integer");
  std::int64_t v = i->get();
  if (v < 0) return bad_value(at, n, std::to_string(v) + " is negative");
  auto u = static_cast<std::uint64_t>(v);
  if (u > max)
    return bad_value(at, n, std::to_string(u) + " is larger than " + std::to_string(max));
  return u;
}

result<crypto::public_key> read_public_key(const toml::node& n, const place& at) {
  const auto* s = n.as_string();
  if (!s) return wrong_type(at, n, "an SS58 address or 64 hex digits as a string");
  auto key = crypto::parse_public_key(s->get());
  if (!key) return bad_value(at, n, key.error().message());
  return *key;
}

result<rao> read_amount(const toml::table& t, const place& at, std::string_view tao_key,
                        std::string_view rao_key, std::optional<rao> fallback) {
  const auto* tao = t.get(tao_key);
  const auto* raw = t.get(rao_key);
  if (tao && raw)
    return bad_value(at.key(rao_key), *raw,
                     "give " + std::string(tao_key) + " or " + std::string(rao_key) + ", not both");
  if (tao) return read_tao(*tao, at.key(tao_key));
  if (raw) return read_uint(*raw, at.key(rao_key), UINT64_MAX);
  if (fallback) return *fallback;
  return error(errc::missing_key, at.describe(t.source()) + ": needs " + std::string(tao_key) +
                                      " (TAO as a string) or " + std::string(rao_key) +
                                      " (an integer of rao)");
}

}  // namespace synod::config::detail
