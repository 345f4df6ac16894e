"""Exponential and logarithm that the compiler can vectorise across members.

The integrator advances a block of members in the innermost loop (:mod:`esm.kernels.integrate`)
so that LLVM can run the arithmetic of several members in one SIMD instruction. A call to the C
library's ``exp`` or ``log`` stops that: numba's LLVM has no vector version of them (Intel's SVML
is not available in the llvmlite wheels). These two functions are written in plain arithmetic
and bit operations instead, so that they are inlined and vectorised with the rest of the loop
(small enough for LLVM to inline them at every call; inlining them already in numba's IR
gives the same vector code and compiles more slowly).

Algorithms: fdlibm 5.3 (Sun Microsystems, 1993), ``e_exp.c`` (argument reduction
x = k ln2 + r, |r| <= ln2/2, and a degree-5 Remez polynomial in r^2 for r (e^r + 1)/(e^r - 1))
and ``e_log.c`` (x = 2^k (1 + f) with sqrt(2)/2 <= 1 + f < sqrt(2), and a degree-7 Remez
polynomial in s = f / (2 + f)); their published coefficients are used unchanged. Both are
accurate to less than one unit in the last place (``tests/test_vmath.py`` compares them with
the C library over the whole double range, including the special values).

Special values follow IEEE 754 and numpy: ``exp`` overflows to inf above 709.78, underflows
through the subnormals to 0 below -745.13, and returns NaN for NaN; ``log`` returns -inf for
0, NaN for negative numbers and NaN, inf for inf, and is exact for subnormal arguments. Every
special case is a select, not a branch, so that the loop stays vectorisable.

Each member's result is the same in a block of any size and in a single run: the operations
are the same in every SIMD lane and in the scalar remainder loop (no fast-math, no reordering).
"""

from __future__ import annotations

import functools

import numpy as np

from esm.kernels._jit import Lazy, jit


@functools.cache
def _bitcasts():
    """The two bit-cast intrinsics (made when numba is loaded: ``esm.kernels._jit.load``)."""
    from llvmlite import ir
    from numba import types
    from numba.extending import intrinsic

    @intrinsic
    def bits_as_float(typingctx, x):
        """The float64 whose IEEE 754 bit pattern is the int64 ``x``."""

        def codegen(context, builder, signature, args):
            return builder.bitcast(args[0], ir.DoubleType())

        return types.float64(types.int64), codegen

    @intrinsic
    def float_as_bits(typingctx, x):
        """The IEEE 754 bit pattern of the float64 ``x`` as an int64."""

        def codegen(context, builder, signature, args):
            return builder.bitcast(args[0], ir.IntType(64))

        return types.int64(types.float64), codegen

    return bits_as_float, float_as_bits


_bits_as_float = Lazy(lambda: _bitcasts()[0])  # made when numba is loaded
_float_as_bits = Lazy(lambda: _bitcasts()[1])


_LN2_HI = 6.93147180369123816490e-01
_LN2_LO = 1.90821492927058770002e-10
_INV_LN2 = 1.44269504088896338700e00
# fdlibm e_exp.c
_P1 = 1.66666666666666019037e-01
_P2 = -2.77777777770155933842e-03
_P3 = 6.61375632143793436117e-05
_P4 = -1.65339022054652515390e-06
_P5 = 4.13813679705723846039e-08
_EXP_OVERFLOW = 7.09782712893383973096e02  # above: inf
_EXP_UNDERFLOW = -7.45133219101941108420e02  # below: 0
# fdlibm e_log.c
_LG1 = 6.666666666666735130e-01
_LG2 = 3.999999999940941908e-01
_LG3 = 2.857142874366239149e-01
_LG4 = 2.222219843214978396e-01
_LG5 = 1.818357216161805012e-01
_LG6 = 1.531383769920937332e-01
_LG7 = 1.479819860511658591e-01
_SQRT_HALF_BITS = 0x3FE6A09E667F3BCD  # bits of sqrt(2)/2
_DBL_MIN = 2.2250738585072014e-308  # smallest normal number
_TWO54 = 1.8014398509481984e16
_TWO52 = 4503599627370496.0  # 2**52
_TWO52_BITS = 0x4330000000000000  # bits of 2**52
_EXPONENT_MAGIC = _TWO52 + 1023.0
_INF = float("inf")
_NAN = float("nan")


@jit
def exp(x):
    """e**x [1], < 1 ulp, vectorisable (fdlibm ``e_exp.c``)."""
    inside = (x > -746.0) & (x < 710.0)
    xr = x if inside else 0.0  # NaN and the ends of the range are replaced below
    # k = the nearest integer to x / ln2, as a float (no conversion to an integer, which
    # numba compiles with a range check that stops vectorisation)
    k = np.floor(xr * _INV_LN2 + 0.5)
    hi = xr - k * _LN2_HI
    lo = k * _LN2_LO
    r = hi - lo
    t = r * r
    c = r - t * (_P1 + t * (_P2 + t * (_P3 + t * (_P4 + t * _P5))))
    y = 1.0 - ((lo - (r * c) / (2.0 - c)) - hi)
    # 2^k in two factors, so that k near the ends of the range neither overflows nor
    # underflows the exponent field before the product is rounded once
    k1 = np.floor(0.5 * k)
    value = y * _power_of_two(k1) * _power_of_two(k - k1)
    value = _INF if x > _EXP_OVERFLOW else value
    value = 0.0 if x < _EXP_UNDERFLOW else value
    return value if x == x else _NAN


@jit
def _power_of_two(k):
    """2**k for a whole number k in [-1022, 1023] given as a float, from its bits: the low bits
    of 2**52 + 1023 + k are 1023 + k, which shifted by 52 are the exponent field of 2**k."""
    return _bits_as_float(_float_as_bits(k + _EXPONENT_MAGIC) << 52)


@jit
def log(x):
    """Natural logarithm [1], < 1 ulp, vectorisable (fdlibm ``e_log.c``)."""
    subnormal = (x > 0.0) & (x < _DBL_MIN)
    normal = (x >= _DBL_MIN) & (x < _INF)
    xs = x * _TWO54 if subnormal else (x if normal else 1.0)
    ix = _float_as_bits(xs)
    # exponent k such that the mantissa m = x / 2^k is in [sqrt(.5), sqrt(2))
    k = (ix - _SQRT_HALF_BITS) >> 52
    f = _bits_as_float(ix - (k << 52)) - 1.0
    s = f / (2.0 + f)
    z = s * s
    w = z * z
    t1 = w * (_LG2 + w * (_LG4 + w * _LG6))
    t2 = z * (_LG1 + w * (_LG3 + w * (_LG5 + w * _LG7)))
    r = t2 + t1
    hfsq = 0.5 * f * f
    # k as a float from its bits (no integer conversion; |k| < 2048)
    dk = _bits_as_float((k + 2048) | _TWO52_BITS) - _TWO52 - 2048.0
    dk = dk - 54.0 if subnormal else dk
    value = dk * _LN2_HI - ((hfsq - (s * (hfsq + r) + dk * _LN2_LO)) - f)
    value = -_INF if x == 0.0 else value
    value = _INF if x == _INF else value
    return value if x >= 0.0 else _NAN  # negative or NaN


@jit(inline=True)
def power(x, y):
    """x**y for x > 0 as exp(y ln x) [1] (NaN for x < 0; error grows with |y ln x|: a few ulp
    for the exponents of the model, which stay below 10)."""
    return exp(y * log(x))
