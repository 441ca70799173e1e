#pragma once
/// 128-bit integers (a GCC/Clang extension) for fixed-point math: I64F64, I96F32 and wide
/// products. `__extension__` keeps -Wpedantic quiet about the non-standard type.

namespace synod {

__extension__ typedef unsigned __int128 u128;
__extension__ typedef __int128 i128;

}  // namespace synod
