#!/usr/bin/env python3
"""Regenerates the model-made epoch scenarios here (x*.json) with the reference model.

    python3 make_model_scenarios.py PATH/TO/shared/reference/yuma_emu

x0*: hand-written scripts for rules subtensor's epoch tests leave out; x1*: random subnets, one
seed each. Every epoch's outputs are stored under "derived"; calls the model rejects are stored
with "expect_reject". Python 3 standard library only.
"""
import random
import sys

sys.path.insert(0, sys.argv[1] if len(sys.argv) > 1 else "../../../../shared/reference/yuma_emu")
from run_scenario import run, dumps, Subnet, Rejected  # noqa: E402

def scenario(about, hp, max_uids, owner, steps):
    return {"source": "synod: generated with shared/reference/yuma_emu (run_scenario.py), not from subtensor",
            "about": about, "max_allowed_uids": max_uids, "owner_hotkey": owner,
            "epoch_emission": 1000000000, "hyperparams": hp, "steps": steps}

def S(block, op, **kw):
    d = {"block": block, "op": op}; d.update(kw); return d

# x01: Yuma 2 with a partial bonds penalty, an owner, a stake threshold, pruning and rejections.
steps = [
  S(1, "register", hotkey="own", stake=1), S(1, "register", hotkey="va", stake=50),
  S(1, "register", hotkey="vb", stake=30), S(1, "register", hotkey="vc", stake=1),
  S(1, "register", hotkey="m1"), S(1, "epoch"),
  S(3, "set_weights", hotkey="va", uids=[4], weights=[65535]),
  S(3, "set_weights", hotkey="vb", uids=[0, 4], weights=[20000, 50000]),
  S(3, "set_weights", hotkey="own", uids=[0], weights=[65535]),
  S(4, "set_weights", hotkey="va", uids=[4], weights=[100], expect_reject="SettingWeightsTooFast"),
  S(4, "set_weights", hotkey="vc", uids=[4], weights=[100], expect_reject="NotEnoughStakeToSetWeights"),
  S(4, "epoch"),
  S(5, "register", hotkey="m2"),
  S(6, "set_weights", hotkey="va", uids=[3, 4], weights=[30000, 65535]),
  S(6, "set_weights", hotkey="vb", uids=[0, 3, 4], weights=[10000, 65535, 20000]),
  S(6, "epoch"),
  S(7, "set_stake", hotkey="vc", stake=40),
  S(7, "set_hyperparam", name="kappa", value=45000),
  S(8, "epoch"),
  S(9, "set_weights", hotkey="vb", uids=[3, 4], weights=[65535, 65535]),
  S(10, "epoch"), S(11, "epoch"),
]
hp1 = {"tempo": 1, "bonds_penalty": 30000, "max_allowed_validators": 3, "stake_threshold": 2,
       "weights_rate_limit": 2, "immunity_period": 2, "min_non_immune_uids": 0}
# x02: Yuma 3, first with one EMA rate, then liquid alpha; bond reset; owner burning.
steps2 = [
  S(1, "register", hotkey="own", stake=5), S(1, "register", hotkey="va", stake=60),
  S(1, "register", hotkey="vb", stake=35), S(1, "register", hotkey="m1"), S(1, "register", hotkey="m2"),
  S(2, "epoch"),
  S(2, "set_weights", hotkey="va", uids=[3, 4], weights=[65535, 10000]),
  S(2, "set_weights", hotkey="vb", uids=[3, 4], weights=[20000, 65535]),
  S(2, "set_weights", hotkey="own", uids=[0, 3], weights=[65535, 0]),
  S(3, "epoch"), S(4, "epoch"),
  S(5, "set_weights", hotkey="vb", uids=[3, 4], weights=[65535, 30000]),
  S(5, "epoch"),
  S(6, "set_hyperparam", name="liquid_alpha", value=True),
  S(6, "epoch"),
  S(7, "set_weights", hotkey="va", uids=[3, 4], weights=[0, 65535]),
  S(7, "epoch"), S(8, "reset_bonds", hotkey="m1"), S(8, "epoch"), S(9, "epoch"),
]
hp2 = {"tempo": 1, "yuma3": True, "bonds_penalty": 20000, "bonds_moving_average": 975000,
       "alpha_low": 6553, "alpha_high": 19660, "max_allowed_validators": 3, "bonds_reset": True}
for name, about, hp, mu, owner, st in [
    ("x01_yuma2_penalty_owner_pruning", "Yuma 2 with bonds penalty 30000, an owner that self-weights, a stake threshold, a replaced uid and two rejected set_weights.", hp1, 5, "own", steps),
    ("x02_yuma3_rate_then_liquid_alpha", "Yuma 3 with bonds penalty 20000: one EMA rate first, then liquid alpha switched on; a bond reset.", hp2, 5, "own", steps2)]:
    doc = scenario(about, hp, mu, owner, st)
    doc["derived"] = run(doc)
    open(name + ".json", "w").write(dumps(doc) + "\n")
    print(name, len(doc["derived"]["epochs"]))


def make(seed, yuma3, liquid):
    rng = random.Random(seed)
    max_uids = rng.randint(6, 14)
    hp = {"tempo": rng.choice([1, 2, 5]), "kappa": rng.choice([32767, rng.randint(10000, 60000)]),
          "bonds_penalty": rng.choice([0, 65535, rng.randint(1, 65534)]),
          "bonds_moving_average": rng.choice([900000, 975000, rng.randint(500000, 999999)]),
          "yuma3": yuma3, "liquid_alpha": liquid,
          "alpha_low": 6553, "alpha_high": 19660 + rng.randint(0, 20000),
          "max_allowed_validators": rng.randint(2, 6), "min_allowed_weights": 1,
          "weights_rate_limit": rng.choice([0, 1]), "immunity_period": rng.randint(1, 6),
          "min_non_immune_uids": rng.randint(0, 3), "stake_threshold": rng.choice([0, 5])}
    owner = rng.choice([None, "hk0"])
    doc = {"source": "synod: generated with shared/reference/yuma_emu (run_scenario.py), not from subtensor",
           "about": f"Random scenario, seed {seed}: pruning, stake changes, explicit zero weights, rejections.",
           "max_allowed_uids": max_uids, "owner_hotkey": owner, "epoch_emission": rng.randint(10**6, 10**12),
           "hyperparams": hp, "steps": []}
    sub = Subnet(max_uids, owner, doc["epoch_emission"], hp)
    block, next_hk = 1, 0
    def step(s):
        try:
            sub.apply(len(doc["steps"]), s)
        except Rejected as e:
            s["expect_reject"] = str(e)
        doc["steps"].append(s)
    for _ in range(max_uids - rng.randint(0, 2)):
        step({"block": block, "op": "register", "hotkey": f"hk{next_hk}", "stake": rng.randint(0, 1000)}); next_hk += 1
    for _ in range(rng.randint(6, 10)):
        block += rng.randint(1, 4)
        step({"block": block, "op": "epoch"})
        n = len(sub.hotkeys)
        permitted = [h for u, h in enumerate(sub.hotkeys) if u < len(sub.net.permit) and sub.net.permit[u]]
        setters = set(rng.sample(permitted, k=len(permitted) * 3 // 4)) if permitted else set()
        setters |= set(rng.sample(sub.hotkeys, k=rng.randint(0, 2)))
        for hk in sorted(setters):
            uids = sorted(rng.sample(range(n), k=rng.randint(1, n)))
            w = [rng.choice([0, rng.randint(0, 65535), 65535]) for _ in uids]
            step({"block": block, "op": "set_weights", "hotkey": hk, "uids": uids, "weights": w})
        if rng.random() < 0.4:
            step({"block": block, "op": "register", "hotkey": f"hk{next_hk}", "stake": rng.randint(0, 500)}); next_hk += 1
        if rng.random() < 0.4:
            step({"block": block, "op": "set_stake", "hotkey": rng.choice(sub.hotkeys), "stake": rng.randint(0, 2000)})
        if rng.random() < 0.2:
            name, value = rng.choice([("kappa", rng.randint(20000, 50000)), ("bonds_penalty", rng.randint(0, 65535))])
            step({"block": block, "op": "set_hyperparam", "name": name, "value": value})
    doc["derived"] = run(doc)
    return doc

for seed, y3, la in [(11, False, False), (16, False, False), (13, True, True), (14, True, True), (15, True, False)]:
    doc = make(seed, y3, la)
    name = f"x{seed}_random_{'yuma3' if y3 else 'yuma2'}{'_liquid' if la else ''}_seed{seed}"
    open(name + ".json", "w").write(dumps(doc) + "\n")
    rej = sum(1 for s in doc["steps"] if "expect_reject" in s)
    regs = sum(1 for s in doc["steps"] if s["op"] == "register")
    print(name, len(doc["derived"]["epochs"]), "epochs", rej, "rejects", regs, "regs", doc["max_allowed_uids"], "max")
