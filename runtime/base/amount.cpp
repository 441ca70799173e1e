#include "synod/base/amount.hpp"

#include "synod/base/errc.hpp"

namespace synod {

std::string format_tao(rao amount) {
  std::string out = std::to_string(amount / rao_per_tao);
  rao frac = amount % rao_per_tao;
  if (frac == 0) return out;
  std::string digits = std::to_string(frac);
  digits.insert(0, 9 - digits.size(), '0');
  while (digits.back() == '0') digits.pop_back();
  return out + "." + digits;
}

namespace {

error bad_amount(std::string_view text, std::string_view why) {
  std::string msg = "'";
  msg.append(text).append("' is not a TAO amount: ").append(why);
  return error(errc::bad_amount, std::move(msg));
}

error too_large(std::string_view text) {
  std::string msg = "'";
  msg.append(text).append("' is more than a u64 count of rao");
  return error(errc::overflow, std::move(msg));
}

}  // namespace

result<rao> parse_tao(std::string_view text) {
  auto bad = [&](std::string_view why) { return bad_amount(text, why); };
  rao whole = 0;
  rao frac = 0;
  int frac_digits = -1;  // -1 while still in the integer part
  bool any_digit = false;
  for (char c : text) {
    if (c == '_') continue;
    if (c == '.') {
      if (frac_digits >= 0) return bad("two decimal points");
      frac_digits = 0;
      continue;
    }
    if (c < '0' || c > '9') return bad("unexpected character");
    any_digit = true;
    rao d = static_cast<rao>(c - '0');
    if (frac_digits < 0) {
      if (whole > (UINT64_MAX - d) / 10) return too_large(text);
      whole = whole * 10 + d;
    } else {
      if (++frac_digits > 9) return bad("more than 9 decimal places (1 rao = 1e-9 TAO)");
      frac = frac * 10 + d;
    }
  }
  if (!any_digit) return bad("no digits");
  for (int i = frac_digits < 0 ? 0 : frac_digits; i < 9; ++i) frac *= 10;
  if (whole > UINT64_MAX / rao_per_tao) return too_large(text);
  auto total = checked_add(whole * rao_per_tao, frac);
  if (!total) return too_large(text);
  return *total;
}

}  // namespace synod
