#include "coldkey_file.hpp"

#include "files.hpp"
#include "synod/crypto/address.hpp"
#include "synod/crypto/errc.hpp"
#include "synod/wallet/errc.hpp"
#include "wiped.hpp"

namespace synod::wallet::detail {
namespace {

// The box's own wording ("checksum mismatch", "wrong password") plus the file it came from.
error from_box_error(const error& e, const std::filesystem::path& path) {
  std::string msg = path.string() + ": " + e.message();
  if (e.is(crypto::errc::corrupt_box)) return error(errc::corrupt_file, std::move(msg));
  if (e.is(crypto::errc::wrong_password)) return error(errc::wrong_password, std::move(msg));
  return e.with_context(path.string());
}

}  // namespace

result<bytes> seal_coldkey(const crypto::seed& seed, std::string_view password,
                           crypto::kdf_strength strength) {
  return crypto::seal_with_password(seed.view(), password, strength);
}

result<crypto::keypair> open_coldkey(const std::filesystem::path& path,
                                     std::string_view password) {
  auto blob = read_file(path);
  if (!blob) return std::move(blob).error();
  auto opened = crypto::open_with_password(*blob, password);
  if (!opened) return from_box_error(opened.error(), path);
  wiped<bytes> plain(std::move(*opened));
  auto seed = crypto::seed::from_view(plain.value);
  if (!seed)
    return error(errc::corrupt_file, path.string() + ": holds " +
                                         std::to_string(plain.value.size()) +
                                         " secret bytes, not a 32-byte seed");
  return crypto::keypair::from_seed(*seed);
}

bytes coldkeypub_text(const crypto::public_key& key) {
  auto text = crypto::to_ss58(key) + "\n";
  return {text.begin(), text.end()};
}

result<crypto::public_key> read_coldkeypub(const std::filesystem::path& path) {
  auto raw = read_file(path);
  if (!raw) return std::move(raw).error();
  std::string text(raw->begin(), raw->end());
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
    text.pop_back();
  if (text.empty()) return error(errc::corrupt_file, path.string() + ": empty (truncated?)");
  auto key = crypto::from_ss58(text);
  if (!key) return error(errc::corrupt_file, path.string() + ": " + key.error().message());
  return key;
}

}  // namespace synod::wallet::detail
