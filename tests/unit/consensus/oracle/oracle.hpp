#pragma once
// The epoch as runtime/consensus computed it before the speed work (commit e89ad90), frozen
// here as the oracle the faster code is compared against bit for bit (epoch_oracle_test.cpp).
// The files beside this one are that code, moved to this namespace and otherwise unchanged;
// only fixed.hpp's arithmetic is shared, being the definition of the numbers themselves.
// Do not speed these up: their value is that they are the old, straightforward path.

#include "synod/base/result.hpp"
#include "synod/consensus/epoch.hpp"
#include "synod/consensus/fixed.hpp"

namespace synod::consensus::oracle {

result<epoch_output> run_epoch(const epoch_input& in);
i32f32 exp(i32f32 x) noexcept;
i32f32 exp_safe(i32f32 x) noexcept;

}  // namespace synod::consensus::oracle
