#pragma once
// Actor-system configuration shared by every Synod process.

#include <caf/actor_system_config.hpp>

#include <cstddef>

namespace synod::actors {

/// A config with Synod's message types registered and the scheduler sized to `threads`
/// (0: one per core; CAF's default of four workers oversubscribes small machines).
void configure(caf::actor_system_config& cfg, std::size_t threads = 0);

}  // namespace synod::actors
