#pragma once
/// Private to the codec: the subnet answers (subnet_info, subnet_list, metagraph_page) in and
/// out of their FlatBuffers tables. Readers take verified tables.

#include "synod/net/codec.hpp"
#include "synod/schemas/gateway_generated.h"

namespace synod::net::detail {

flatbuffers::Offset<fb::SubnetInfo> write_subnet(flatbuffers::FlatBufferBuilder& b,
                                                 const subnet_info& s);
flatbuffers::Offset<fb::SubnetList> write_subnets(flatbuffers::FlatBufferBuilder& b,
                                                  const subnet_list& l);
flatbuffers::Offset<fb::Metagraph> write_metagraph(flatbuffers::FlatBufferBuilder& b,
                                                   const metagraph_page& m);

subnet_info read_subnet(const fb::SubnetInfo& t);
subnet_list read_subnets(const fb::SubnetList& t);
/// Errors: errc::malformed (an axon ip that is not 16 bytes).
result<metagraph_page> read_metagraph(const fb::Metagraph& t);

}  // namespace synod::net::detail
