#pragma once
/// Forward declarations of the config component, for headers that only pass these around.

namespace synod::config {

enum class errc;

}  // namespace synod::config
