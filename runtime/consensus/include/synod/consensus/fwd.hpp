#pragma once
/// Forward declarations of the consensus component, for headers that only pass these around.

namespace synod::consensus {

enum class errc;
class i32f32;
class i64f64;
class i96f32;
struct u16_entry;
struct fixed_entry;
struct yuma_params;
struct epoch_input;
struct epoch_output;

}  // namespace synod::consensus
