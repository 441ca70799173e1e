#pragma once
// Private to the wallet component: where each file of a wallet lives.
//   <root>/<wallet>/coldkey           password_box blob of the coldkey's 32-byte seed
//   <root>/<wallet>/coldkeypub.txt    the coldkey's SS58 address, readable without a password
//   <root>/<wallet>/hotkeys/<hotkey>  plain hotkey file (hotkey_file.hpp)

#include <filesystem>
#include <string_view>

namespace synod::wallet::detail {

struct wallet_layout {
  std::filesystem::path dir;

  [[nodiscard]] std::filesystem::path coldkey() const { return dir / "coldkey"; }
  [[nodiscard]] std::filesystem::path coldkeypub() const { return dir / "coldkeypub.txt"; }
  [[nodiscard]] std::filesystem::path hotkeys() const { return dir / "hotkeys"; }
  [[nodiscard]] std::filesystem::path hotkey(std::string_view name) const {
    return hotkeys() / name;
  }
};

}  // namespace synod::wallet::detail
