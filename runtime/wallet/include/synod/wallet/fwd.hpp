#pragma once
/// Forward declarations of the wallet component, for headers that only pass these around.

namespace synod::wallet {

enum class errc;
enum class if_exists;
struct keystore_options;
struct key_info;
struct wallet_info;
class keystore;

}  // namespace synod::wallet
