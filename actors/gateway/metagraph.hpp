#pragma once
// gateway: the subnet reads (subnet, subnet list, metagraph pages), answered from one state
// snapshot. Private to the gateway folder; gateway.cpp dispatches to these.

#include "synod/chain/records.hpp"
#include "synod/net/codec.hpp"

namespace synod::actors {

/// The subnet `r.netuid` as of `height` (the snapshot's head). An unknown netuid (or root,
/// netuid 0, which holds no neurons) is error_info "chain.subnet_not_found".
net::response_body answer_subnet(const chain::state_view& s, std::uint64_t height,
                                 const net::get_subnet& r);

/// Every subnet, in netuid order.
net::response_body answer_subnets(const chain::state_view& s, std::uint64_t height);

/// One page of the metagraph: neurons from r.first_uid while the estimated answer stays under
/// net::max_metagraph_page_bytes (at least one neuron, so paging always advances).
net::response_body answer_metagraph(const chain::state_view& s, std::uint64_t height,
                                    const net::get_metagraph& r);

}  // namespace synod::actors
