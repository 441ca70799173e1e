#include "actors/system/system.hpp"

#include <thread>

#include "actors/system/types.hpp"

#include <caf/atom.hpp>
#include <caf/message.hpp>

namespace synod::actors {

std::size_t default_actor_threads() {
  // Half the cores: the signature checks, the bulk of a node's CPU, run on the verify pool's
  // own thread per core. Actors only route, admit, apply and commit; with a worker per core
  // as well, four busy threads shared two cores, and the node spent 5-7% more CPU per
  // transfer (`synod bench ledger --actor-threads 2` against 1 on a 2-core machine).
  return std::max(1u, std::thread::hardware_concurrency() / 2);
}

void configure(caf::actor_system_config& cfg, std::size_t threads) {
  cfg.add_message_types<caf::id_block::synod>();
  if (threads == 0) threads = default_actor_threads();
  cfg.set("scheduler.max-threads", threads);
  // An idle worker polls for work every 50 us for 500 rounds before it sleeps on a condition
  // variable (woken by new work). The signature checks run on the node's own verify pool, so
  // CAF's workers are idle most of the time, and those wake-ups cost a few percent of a core
  // each; 20 rounds keep the quick hand-offs quick.
  cfg.set("work-stealing.moderate-poll-attempts", std::size_t{20});
  cfg.set("logger.verbosity", caf::atom("quiet"));
  cfg.add_error_category(caf::atom("synod"),
                         [](std::uint8_t code, caf::atom_value, const caf::message& ctx) {
                           std::string text = code == 2 ? "synod fault: " : "synod: ";
                           if (ctx.match_elements<std::string>()) text += ctx.get_as<std::string>(0);
                           return text;
                         });
}

}  // namespace synod::actors
