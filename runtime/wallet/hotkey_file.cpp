#include "hotkey_file.hpp"

#include <nlohmann/json.hpp>

#include "files.hpp"
#include "synod/crypto/address.hpp"
#include "synod/wallet/errc.hpp"
#include "wiped.hpp"

namespace synod::wallet::detail {
namespace {

constexpr std::string_view format_name = "synod-hotkey";
constexpr unsigned format_version = 1;

using json = nlohmann::json;

error corrupt(const std::filesystem::path& path, std::string_view what) {
  std::string msg = path.string();
  msg.append(": ").append(what);
  return error(errc::corrupt_file, std::move(msg));
}

result<std::string> string_field(const json& doc, const char* key,
                                 const std::filesystem::path& path) {
  auto it = doc.find(key);
  if (it == doc.end() || !it->is_string())
    return corrupt(path, std::string("field \"") + key + "\" is missing or not a string");
  return it->get<std::string>();
}

status check_header(const json& doc, const std::filesystem::path& path) {
  if (!doc.is_object()) return corrupt(path, "not a JSON object");
  auto format = string_field(doc, "format", path);
  if (!format) return std::move(format).error();
  if (*format != format_name) return corrupt(path, "format is not \"synod-hotkey\"");
  auto version = doc.find("version");
  if (version == doc.end() || !version->is_number_unsigned() ||
      version->get<std::uint64_t>() != format_version)
    return corrupt(path, "unknown or missing format version (this build reads version 1)");
  return ok();
}

// The stored public key and address must be the ones the seed derives.
status check_public_half(const json& doc, const crypto::keypair& key,
                         const std::filesystem::path& path) {
  auto pub_hex = string_field(doc, "public_key", path);
  if (!pub_hex) return std::move(pub_hex).error();
  auto pub = crypto::public_key::from_hex(*pub_hex);
  if (!pub) return corrupt(path, "public_key: " + pub.error().message());
  if (*pub != key.public_key()) return corrupt(path, "seed does not derive the stored public key");
  auto ss58 = string_field(doc, "ss58", path);
  if (!ss58) return std::move(ss58).error();
  if (*ss58 != crypto::to_ss58(key.public_key()))
    return corrupt(path, "ss58 address does not match the key");
  return ok();
}

}  // namespace

bytes encode_hotkey(const crypto::keypair& key) {
  json doc = {{"format", format_name},
              {"version", format_version},
              {"seed", to_hex(key.seed().view())},
              {"public_key", key.public_key().hex()},
              {"ss58", crypto::to_ss58(key.public_key())}};
  wiped<std::string> text(doc.dump(2) + "\n");
  return {text.value.begin(), text.value.end()};
}

result<crypto::keypair> decode_hotkey(byte_view text, const std::filesystem::path& path) {
  if (text.empty()) return corrupt(path, "empty (truncated?)");
  auto doc = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return corrupt(path, "not valid JSON (truncated or edited?)");
  SYNOD_TRY(check_header(doc, path));
  auto seed_hex = string_field(doc, "seed", path);
  if (!seed_hex) return std::move(seed_hex).error();
  wiped<std::string> hex(std::move(*seed_hex));
  auto raw = from_hex(hex.value);
  if (!raw) return corrupt(path, "seed: " + raw.error().message());
  wiped<bytes> seed_bytes(std::move(*raw));
  auto seed = crypto::seed::from_view(seed_bytes.value);
  if (!seed) return corrupt(path, "seed: " + seed.error().message());
  auto key = crypto::keypair::from_seed(*seed);
  SYNOD_TRY(check_public_half(doc, key, path));
  return key;
}

result<crypto::keypair> read_hotkey(const std::filesystem::path& path) {
  auto text = read_file(path);
  if (!text) return std::move(text).error();
  return decode_hotkey(*text, path);
}

}  // namespace synod::wallet::detail
