#!/usr/bin/env python3
"""Writes the .npy fixtures of NumpyFormatTests with real NumPy (run from this folder).

The values are chosen so the tests can state them exactly: float32 values are exact binary
fractions, float64 values include -0.0, a subnormal and the largest finite number.
"""
import numpy as np
from numpy.lib import format as npformat

f8 = np.array([[1.5, -2.25, 3.0], [0.1, 5e-324, -0.0]], dtype="<f8")
np.save("f8_2d.npy", f8)
np.save("f8_1d.npy", np.array([0.0, 0.5, 1.0, 1.5, np.finfo(np.float64).max], dtype="<f8"))
np.save("f8_scalar.npy", np.array(2.5, dtype="<f8"))
np.save("f8_empty.npy", np.zeros((0, 3), dtype="<f8"))
np.save("f4_2d.npy", np.array([[0.5, -1.25], [3.0, 0.375], [8.0, -0.0625]], dtype="<f4"))
np.save("f8_big_endian.npy", f8.astype(">f8"))
with open("f8_version2.npy", "wb") as file:
    npformat.write_array(file, f8, version=(2, 0))
np.save("i4.npy", np.array([[1, 2], [3, 4]], dtype="<i4"))
np.save("fortran.npy", np.asfortranarray(f8))
np.save("three_d.npy", np.zeros((2, 2, 2), dtype="<f8"))
np.save("structured.npy", np.zeros(2, dtype=[("a", "<f8"), ("b", "<i4")]))
