#include "synod/wallet/names.hpp"

#include "synod/wallet/errc.hpp"

namespace synod::wallet {
namespace {

bool is_name_char(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '.' || c == '_' || c == '-';
}

}  // namespace

std::string quoted_name(std::string_view name) {
  std::string out = "'";
  for (char c : name) {
    if (c >= 0x20 && c < 0x7f) {
      out.push_back(c);
    } else {
      static constexpr char digits[] = "0123456789abcdef";
      auto u = static_cast<unsigned char>(c);
      out.append("\\x").push_back(digits[u >> 4]);
      out.push_back(digits[u & 0x0f]);
    }
  }
  out.push_back('\'');
  return out;
}

bool is_valid_name(std::string_view name) noexcept {
  if (name.empty() || name.size() > max_name_length || name == "." || name == "..") return false;
  for (char c : name)
    if (!is_name_char(c)) return false;
  return true;
}

status check_name(std::string_view kind, std::string_view name) {
  if (is_valid_name(name)) return ok();
  std::string msg(kind);
  msg.append(" name ").append(quoted_name(name)).append(" is not allowed: use 1 to ");
  msg.append(std::to_string(max_name_length)).append(" of A-Z a-z 0-9 . _ - (not . or ..)");
  return error(errc::bad_name, std::move(msg));
}

}  // namespace synod::wallet
