#pragma once
// Actor-system configuration shared by every Synod process.

#include <caf/actor_system_config.hpp>

#include <cstddef>

namespace synod::actors {

/// The actor workers a node runs when its config says 0: half the cores, at least one (the
/// node's signature checks have a pool of their own with a thread per core).
std::size_t default_actor_threads();

/// A config with Synod's message types registered and the scheduler sized to `threads`
/// (0: default_actor_threads(); CAF's default of four workers oversubscribes small machines).
void configure(caf::actor_system_config& cfg, std::size_t threads = 0);

}  // namespace synod::actors
