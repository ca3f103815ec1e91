#!/usr/bin/env python3
"""Writes float_cases.txt: hard decimal strings and the bits of the double each one rounds to,
by Python's float() (correctly rounded, independent of Swift), for FloatParserTests.

    python3 Tests/NNLangTests/Fixtures/float_cases.py

Each line is `TEXT BITS` (BITS: 16 hex digits of the IEEE 754 double). The cases: the exact
halfway points between neighbouring doubles and the decimals a hair either side of them (the
round-to-even and one-ulp cases), written with every digit (up to 770 of them); 17 to 40 digit
mantissas; the edges of the subnormal and finite ranges; powers of ten; leading and trailing zeros.
"""
import math
import os
import random
import struct
from decimal import Decimal, getcontext

getcontext().prec = 2000
rng = random.Random(21)


def bits(value: float) -> str:
    return struct.pack(">d", value).hex()


def plain(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


cases: list[str] = []


def halfway(low: float) -> None:
    high = math.nextafter(low, math.inf)
    if not math.isfinite(high):
        return
    middle = (Decimal(low) + Decimal(high)) / 2
    tiny = Decimal(10) ** (middle.adjusted() - 60)
    for value in (middle, middle + tiny, middle - tiny):
        cases.append(plain(value))
    # the same in scientific notation, 20 significant digits (not exact, near the midpoint)
    cases.append(f"{middle:.19e}")


for _ in range(200):
    halfway(struct.unpack(">d", struct.pack(">Q", rng.getrandbits(62) | (rng.getrandbits(1) << 62)))[0])
for exponent in (-1074, -1073, -1060, -1023, -1022, -1021, -600, -100, -1, 0, 1, 52, 53, 54, 63, 64, 100, 500, 1000, 1023):
    for _ in range(3):
        halfway(math.ldexp(1 + rng.random(), exponent) if exponent > -1022 else math.ldexp(rng.random(), -1022))
for value in (5e-324, 1e-323, 2.2250738585072009e-308, 2.2250738585072014e-308, 1.7976931348623157e308, 9007199254740992.0,
              9007199254740993.0, 0.1, 0.3, 1 / 3):
    halfway(value)
    cases.append(repr(value))
    cases.append(f"{value:.40e}")
for _ in range(2000):
    digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(17, 40)))
    point = rng.randint(0, len(digits))
    sign = rng.choice(["", "-", "+"])
    cases.append(f"{sign}{digits[:point]}.{digits[point:]}e{rng.randint(-340, 310)}")
for exponent in range(-330, 312):
    cases += [f"1e{exponent}", f"9.999999999999999e{exponent}", f"4.9e{exponent}"]
cases += ["1e-400", "1e400", "-1e400", "2.4703282292062327e-324", "2.4703282292062328e-324", "1.7976931348623158e308",
          "1.7976931348623159e308", "179769313486231580793728971405301e276", "0.000000000000000000000000000001e30",
          "00000000000000000000000000000000000001.5", "1.50000000000000000000000000000000000000000000000000000",
          "123456789012345678901234567890", "0.0000000000000000000000000000000000000000000000001"]

folder = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(folder, "float_cases.txt"), "w") as file:
    for text in cases:
        file.write(f"{text} {bits(float(text))}\n")
print(f"{len(cases)} cases")
