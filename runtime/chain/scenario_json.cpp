// Scenario files in and epoch reports out (scenario.hpp), as JSON. Every problem names the
// path of the field at fault, so a person can find it in a long file.

#include <nlohmann/json.hpp>

#include <algorithm>
#include <limits>
#include <set>

#include "scenario_rules.hpp"
#include "synod/chain/scenario.hpp"

namespace synod::chain {
namespace {

using json = nlohmann::json;

constexpr std::string_view annotations[] = {"source", "about", "notes", "expect", "derived"};

error bad(const std::string& path, const std::string& what) {
  return error(scenario_errc::bad_file, path + ": " + what);
}

std::string shown(const json& v) {
  std::string s = v.dump();
  return s.size() <= 40 ? s : s.substr(0, 37) + "...";
}

// An integer in [lo, hi]; JSON floats and booleans are not integers.
result<std::int64_t> get_int(const json& v, const std::string& path, std::int64_t lo,
                             std::int64_t hi) {
  const std::string range = "[" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
  if (!v.is_number_integer()) return bad(path, "expected an integer in " + range + ", got " + shown(v));
  if (v.is_number_unsigned() &&
      v.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    return bad(path, "expected an integer in " + range + ", got " + shown(v));
  const auto x = v.get<std::int64_t>();
  if (x < lo || x > hi) return bad(path, "expected an integer in " + range + ", got " + shown(v));
  return x;
}

result<std::uint64_t> get_u64(const json& v, const std::string& path) {
  if (!v.is_number_unsigned())  // nlohmann keeps every non-negative integer as unsigned
    return bad(path, "expected an integer in [0, 2^64), got " + shown(v));
  return v.get<std::uint64_t>();
}

result<std::string> get_string(const json& v, const std::string& path, bool non_empty) {
  if (!v.is_string() || (non_empty && v.get<std::string>().empty()))
    return bad(path, std::string("expected a ") + (non_empty ? "non-empty " : "") +
                         "string, got " + shown(v));
  return v.get<std::string>();
}

result<std::vector<std::uint16_t>> get_u16s(const json& v, const std::string& path) {
  if (!v.is_array()) return bad(path, "expected an array of integers, got " + shown(v));
  std::vector<std::uint16_t> out;
  for (std::size_t k = 0; k < v.size(); ++k) {
    auto x = get_int(v[k], path + "[" + std::to_string(k) + "]", 0, 65'535);
    if (!x) return std::move(x).error();
    out.push_back(static_cast<std::uint16_t>(*x));
  }
  return out;
}

// A hyperparameter's JSON value, checked by the same rule the runner applies.
result<scenario_setting> get_setting(const std::string& name, const json& v,
                                     const std::string& name_path, const std::string& path) {
  const auto all = detail::scenario_hyperparams();
  auto it = std::find_if(all.begin(), all.end(), [&](const auto& h) { return h.name == name; });
  if (it == all.end()) return bad(name_path, "unknown hyperparameter \"" + name + "\"");
  scenario_setting s{name, 0};
  if (it->boolean) {
    if (!v.is_boolean()) return bad(path, "expected true or false, got " + shown(v));
    s.value = v.get<bool>() ? 1 : 0;
  } else {
    auto x = get_int(v, path, std::numeric_limits<std::int64_t>::min(),
                     std::numeric_limits<std::int64_t>::max());
    if (!x) return std::move(x).error();
    s.value = *x;
  }
  subnet_hyperparams scratch;
  bool bonds_reset = false;
  if (auto applied = detail::apply_setting(scratch, bonds_reset, s); !applied)
    return bad(path, applied.error().message());
  return s;
}

struct op_fields {
  scenario_op op;
  std::set<std::string> required, optional;
};

const std::vector<op_fields>& ops() {
  static const std::vector<op_fields> table = {
      {scenario_op::register_neuron, {"hotkey"}, {"stake", "expect_reject"}},
      {scenario_op::epoch, {}, {}},
      {scenario_op::set_weights, {"hotkey", "uids", "weights"}, {"expect_reject"}},
      {scenario_op::set_stake, {"hotkey", "stake"}, {}},
      {scenario_op::set_hyperparam, {"name", "value"}, {}},
      {scenario_op::reset_bonds, {"hotkey"}, {}},
      {scenario_op::commit_weights, {"hotkey", "uids", "weights", "salt"}, {"expect_reject"}},
      {scenario_op::reveal_weights, {"hotkey", "uids", "weights", "salt"}, {"expect_reject"}},
  };
  return table;
}

result<scenario_step> get_step(const json& v, const std::string& path, std::uint64_t last_block) {
  if (!v.is_object()) return bad(path, "expected an object, got " + shown(v));
  if (!v.contains("op")) return bad(path + ".op", "missing");
  auto op = get_string(v["op"], path + ".op", true);
  if (!op) return std::move(op).error();
  const auto& table = ops();
  auto f = std::find_if(table.begin(), table.end(),
                        [&](const op_fields& o) { return scenario_op_name(o.op) == *op; });
  if (f == table.end()) return bad(path + ".op", "unknown op \"" + *op + "\"");
  for (const auto& [key, _] : v.items())
    if (key != "op" && key != "block" && !f->required.count(key) && !f->optional.count(key))
      return bad(path + "." + key, "unknown field for op \"" + *op + "\"");
  if (!v.contains("block")) return bad(path + ".block", "missing");
  for (const std::string& key : f->required)
    if (!v.contains(key)) return bad(path + "." + key, "missing");

  scenario_step s;
  s.op = f->op;
  auto block = get_u64(v["block"], path + ".block");
  if (!block) return std::move(block).error();
  if (*block < last_block)
    return bad(path + ".block", "block " + std::to_string(*block) +
                                    " is before the previous step's block " +
                                    std::to_string(last_block));
  s.block = *block;
  auto field = [&](const char* key) { return path + "." + key; };
  if (v.contains("hotkey")) {
    auto hk = get_string(v["hotkey"], field("hotkey"), true);
    if (!hk) return std::move(hk).error();
    s.hotkey = std::move(*hk);
  }
  if (v.contains("stake")) {
    auto stake = get_u64(v["stake"], field("stake"));
    if (!stake) return std::move(stake).error();
    s.stake = *stake;
  }
  for (auto [key, out] : {std::pair{"uids", &s.uids}, std::pair{"weights", &s.weights}}) {
    if (!v.contains(key)) continue;
    auto xs = get_u16s(v[key], field(key));
    if (!xs) return std::move(xs).error();
    *out = std::move(*xs);
  }
  if (v.contains("salt")) {
    auto salt = get_string(v["salt"], field("salt"), false);
    if (!salt) return std::move(salt).error();
    s.salt = std::move(*salt);
  }
  if (v.contains("expect_reject")) {
    auto want = get_string(v["expect_reject"], field("expect_reject"), true);
    if (!want) return std::move(want).error();
    if (!detail::known_reject_name(*want))
      return bad(field("expect_reject"), "unknown rejection name \"" + *want + "\"");
    s.expect_reject = std::move(*want);
  }
  if (s.op == scenario_op::set_hyperparam) {
    auto name = get_string(v["name"], field("name"), true);
    if (!name) return std::move(name).error();
    auto setting = get_setting(*name, v["value"], field("name"), field("value"));
    if (!setting) return std::move(setting).error();
    s.setting = std::move(*setting);
  }
  return s;
}

status check_top_fields(const json& doc) {
  static const std::set<std::string_view> fields = {"max_allowed_uids", "owner_hotkey",
                                                    "epoch_emission", "hyperparams", "steps"};
  for (const auto& [key, _] : doc.items()) {
    const bool annotation =
        std::find(std::begin(annotations), std::end(annotations), key) != std::end(annotations);
    if (!fields.count(key) && !annotation) return bad(key, "unknown field");
  }
  for (const char* key : {"max_allowed_uids", "steps"})
    if (!doc.contains(key)) return bad(key, "missing");
  return ok();
}

result<scenario> get_scenario(const json& doc) {
  if (!doc.is_object()) return bad("$", "expected a JSON object");
  SYNOD_TRY(check_top_fields(doc));
  scenario sc;
  auto uids = get_int(doc["max_allowed_uids"], "max_allowed_uids", 1, max_subnet_size);
  if (!uids) return std::move(uids).error();
  sc.max_allowed_uids = static_cast<std::uint32_t>(*uids);
  if (doc.contains("owner_hotkey") && !doc["owner_hotkey"].is_null()) {
    auto owner = get_string(doc["owner_hotkey"], "owner_hotkey", true);
    if (!owner) return std::move(owner).error();
    sc.owner_hotkey = std::move(*owner);
  }
  if (doc.contains("epoch_emission")) {
    auto emission = get_u64(doc["epoch_emission"], "epoch_emission");
    if (!emission) return std::move(emission).error();
    sc.epoch_emission = *emission;
  }
  if (doc.contains("hyperparams")) {
    const json& hps = doc["hyperparams"];
    if (!hps.is_object()) return bad("hyperparams", "expected an object, got " + shown(hps));
    for (const auto& [name, value] : hps.items()) {
      auto s = get_setting(name, value, "hyperparams." + name, "hyperparams." + name);
      if (!s) return std::move(s).error();
      sc.hyperparams.push_back(std::move(*s));
    }
  }
  const json& steps = doc["steps"];
  if (!steps.is_array()) return bad("steps", "expected an array, got " + shown(steps));
  std::uint64_t last_block = 0;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    auto s = get_step(steps[i], "steps[" + std::to_string(i) + "]", last_block);
    if (!s) return std::move(s).error();
    last_block = s->block;
    sc.steps.push_back(std::move(*s));
  }
  return sc;
}

std::string epoch_json(const epoch_report& r) {
  const consensus::epoch_output& o = r.out;
  const std::pair<const char*, json> fields[] = {
      {"step", r.step},
      {"block", r.block},
      {"n", r.n},
      {"consensus", o.consensus},
      {"incentive", o.incentive},
      {"dividends", o.dividends},
      {"validator_trust", o.validator_trust},
      {"stake_weight", o.stake_weight},
      {"active", o.active},
      {"validator_permit", o.validator_permit},
      {"emission", o.emission},
      {"server_emission", o.server_emission},
      {"validator_emission", o.validator_emission},
  };
  std::string out = "  {";
  for (const auto& [name, value] : fields)
    out += "\"" + std::string(name) + "\": " + value.dump() + ",\n   ";
  out += "\"bonds\": [";
  for (std::size_t i = 0; i < r.bonds.size(); ++i)
    out += (i == 0 ? "" : ",\n             ") + json(r.bonds[i]).dump();
  return out + "]}";
}

}  // namespace

result<scenario> parse_scenario(std::string_view json_text) {
  json doc;
  try {
    doc = json::parse(json_text.begin(), json_text.end());
  } catch (const json::exception& e) {
    return bad("$", std::string("not valid JSON (") + e.what() + ")");
  }
  return get_scenario(doc);
}

std::string scenario_output_json(const std::vector<epoch_report>& reports) {
  std::string out = "{\"epochs\": [";
  for (std::size_t k = 0; k < reports.size(); ++k)
    out += (k == 0 ? "\n" : ",\n") + epoch_json(reports[k]);
  return out + (reports.empty() ? "]}\n" : "\n]}\n");
}

}  // namespace synod::chain
