#include "subnet_wire.hpp"

#include <algorithm>

#include "synod/schemas/struct_vector.hpp"
#include "wire.hpp"

namespace synod::net::detail {
namespace {

using uid_values = flatbuffers::Offset<flatbuffers::Vector<const fb::UidValue*>>;

uid_values write_row(flatbuffers::FlatBufferBuilder& b,
                     const std::optional<std::vector<uid_value>>& row) {
  if (!row) return {};
  std::vector<fb::UidValue> out;
  out.reserve(row->size());
  for (const auto& e : *row) out.emplace_back(e.uid, e.value);
  return b.CreateVectorOfStructs(out);
}

std::optional<std::vector<uid_value>> read_row(const flatbuffers::Vector<const fb::UidValue*>* v) {
  if (!v) return std::nullopt;
  std::vector<uid_value> out;
  out.reserve(v->size());
  for (const auto* e : *v) out.push_back({e->uid(), e->value()});
  return out;
}

flatbuffers::Offset<fb::AxonInfo> write_axon(flatbuffers::FlatBufferBuilder& b,
                                             const std::optional<axon_view>& a) {
  if (!a) return {};
  auto ip = b.CreateVector(a->ip.data(), a->ip.size());
  return fb::CreateAxonInfo(b, ip, a->port, a->ip_type, a->protocol, a->version, a->block);
}

flatbuffers::Offset<fb::NeuronInfo> write_neuron(flatbuffers::FlatBufferBuilder& b,
                                                 const neuron_view& n) {
  auto axon = write_axon(b, n.axon);
  auto weights = write_row(b, n.weights);
  auto bonds = write_row(b, n.bonds);
  auto hot = to_fb(n.hotkey);
  auto cold = n.coldkey ? to_fb(*n.coldkey) : fb::Bytes32();
  return fb::CreateNeuronInfo(b, n.uid, &hot, n.coldkey ? &cold : nullptr, n.stake,
                              n.registered_at, n.last_update, n.emission, n.rank, n.trust,
                              n.consensus, n.incentive, n.dividends, n.validator_trust,
                              n.validator_permit, n.active, axon, weights, bonds);
}

result<neuron_view> read_neuron(const fb::NeuronInfo& t) {
  neuron_view n;
  n.uid = t.uid();
  n.hotkey = from_fb(*t.hotkey());
  if (const auto* cold = t.coldkey()) n.coldkey = from_fb(*cold);
  n.stake = t.stake();
  n.registered_at = t.registered_at();
  n.last_update = t.last_update();
  n.emission = t.emission();
  n.rank = t.rank();
  n.trust = t.trust();
  n.consensus = t.consensus();
  n.incentive = t.incentive();
  n.dividends = t.dividends();
  n.validator_trust = t.validator_trust();
  n.validator_permit = t.validator_permit();
  n.active = t.active();
  if (const auto* a = t.axon()) {
    if (a->ip()->size() != 16)
      return malformed("response", "has an axon ip of " + std::to_string(a->ip()->size()) +
                                       " bytes, not 16");
    axon_view v{{}, a->port(), a->ip_type(), a->protocol(), a->version(), a->block()};
    std::copy(a->ip()->begin(), a->ip()->end(), v.ip.begin());
    n.axon = v;
  }
  n.weights = read_row(t.weights());
  n.bonds = read_row(t.bonds());
  return n;
}

}  // namespace

flatbuffers::Offset<fb::SubnetInfo> write_subnet(flatbuffers::FlatBufferBuilder& b,
                                                 const subnet_info& s) {
  std::vector<fb::HyperparamValue> hp;
  hp.reserve(s.hyperparams.size());
  for (const auto& h : s.hyperparams) hp.emplace_back(h.value, h.id);
  auto hyperparams = b.CreateVectorOfStructs(hp);
  auto cold = to_fb(s.owner_coldkey);
  auto hot = to_fb(s.owner_hotkey);
  return fb::CreateSubnetInfo(b, s.height, s.netuid, &cold, &hot, s.registered_at, s.locked,
                              s.last_epoch_block, s.epoch_index, s.next_epoch_block, s.burn,
                              s.burn_block, s.burn_now, s.neuron_count, hyperparams);
}

flatbuffers::Offset<fb::SubnetList> write_subnets(flatbuffers::FlatBufferBuilder& b,
                                                  const subnet_list& l) {
  std::vector<flatbuffers::Offset<fb::SubnetInfo>> subnets;
  subnets.reserve(l.subnets.size());
  for (const auto& s : l.subnets) subnets.push_back(write_subnet(b, s));
  return fb::CreateSubnetList(b, l.height, b.CreateVector(subnets));
}

flatbuffers::Offset<fb::Metagraph> write_metagraph(flatbuffers::FlatBufferBuilder& b,
                                                   const metagraph_page& m) {
  auto subnet = write_subnet(b, m.subnet);
  std::vector<flatbuffers::Offset<fb::NeuronInfo>> neurons;
  neurons.reserve(m.neurons.size());
  for (const auto& n : m.neurons) neurons.push_back(write_neuron(b, n));
  return fb::CreateMetagraph(b, subnet, m.first_uid, m.next_uid, b.CreateVector(neurons));
}

subnet_info read_subnet(const fb::SubnetInfo& t) {
  subnet_info s{t.height(),        t.netuid(),      from_fb(*t.owner_coldkey()),
                from_fb(*t.owner_hotkey()), t.registered_at(), t.locked(),
                t.last_epoch_block(), t.epoch_index(), t.next_epoch_block(),
                t.burn(),          t.burn_block(),  t.burn_now(),
                t.neuron_count(),  {}};
  s.hyperparams.reserve(t.hyperparams()->size());
  for (flatbuffers::uoffset_t i = 0; i < t.hyperparams()->size(); ++i) {
    const auto h = fb::struct_at(*t.hyperparams(), i);  // may sit misaligned in the buffer
    s.hyperparams.push_back({h.id(), h.value()});
  }
  return s;
}

subnet_list read_subnets(const fb::SubnetList& t) {
  subnet_list l{t.height(), {}};
  l.subnets.reserve(t.subnets()->size());
  for (const auto* s : *t.subnets()) l.subnets.push_back(read_subnet(*s));
  return l;
}

result<metagraph_page> read_metagraph(const fb::Metagraph& t) {
  metagraph_page m{read_subnet(*t.subnet()), t.first_uid(), t.next_uid(), {}};
  m.neurons.reserve(t.neurons()->size());
  for (const auto* n : *t.neurons()) {
    auto v = read_neuron(*n);
    if (!v) return std::move(v).error();
    m.neurons.push_back(std::move(*v));
  }
  return m;
}

}  // namespace synod::net::detail
