#!/usr/bin/env python3
"""Writes the .npy and .npz fixtures of NumpyFormatTests and NumpyArchiveTests with real NumPy (run from this folder).

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
np.save("fortran.npy", np.asfortranarray(f8))
np.save("three_d.npy", np.zeros((2, 2, 2), dtype="<f8"))
np.save("structured.npy", np.zeros(2, dtype=[("a", "<f8"), ("b", "<i4")]))

# Every numeric and bool dtype, in both byte orders where there is one: the same 2×3 values,
# chosen to test each type's extremes (the most negative, the largest; ±2^53 for 64 bits).
for code in ["i1", "i2", "i4", "i8"]:
    info = np.iinfo(code)
    values = np.array([[0, 1, -2], [info.min if code != "i8" else -(2**53), 5, info.max if code != "i8" else 2**53]])
    np.save(f"{code}.npy", values.astype("<" + code if code != "i1" else "|i1"))
    if code != "i1":
        np.save(f"{code}_big_endian.npy", values.astype(">" + code))
for code in ["u1", "u2", "u4", "u8"]:
    info = np.iinfo(code)
    values = np.array([[0, 1, 2], [3, 5, info.max if code != "u8" else 2**53]], dtype=np.uint64)
    np.save(f"{code}.npy", values.astype("<" + code if code != "u1" else "|u1"))
    if code != "u1":
        np.save(f"{code}_big_endian.npy", values.astype(">" + code))
np.save("b1.npy", np.array([[True, False, True], [False, False, True]]))
np.save("f2.npy", np.array([[0.5, -1.25, 65504.0], [6.103515625e-05, 5.960464477539063e-08, -0.0]], dtype="<f2"))
np.save("f2_big_endian.npy", np.array([[0.5, -1.25, 65504.0], [6.103515625e-05, 5.960464477539063e-08, -0.0]], dtype=">f2"))
np.save("f4_big_endian.npy", np.array([[0.5, -1.25], [3.0, 0.375], [8.0, -0.0625]], dtype=">f4"))
np.save("i4_fortran.npy", np.asfortranarray(np.array([[1, 2, 3], [4, 5, 6]], dtype="<i4")))
np.save("i8_labels.npy", np.array([0, 2, 1, 2, 0], dtype="<i8"))
# Integers float64 cannot hold exactly: refused, not rounded.
np.save("i8_too_large.npy", np.array([[1, 2], [3, 2**53 + 1]], dtype="<i8"))
np.save("u8_too_large.npy", np.array([2**64 - 1], dtype="<u8"))
np.save("complex.npy", np.array([1 + 2j], dtype="<c16"))
np.save("text.npy", np.array(["a", "bc"]))

# .npz archives: the same arrays stored (np.savez) and deflated (np.savez_compressed).
import zipfile
npz_x = np.array([[0.5, -1.0], [2.0, 0.25], [1.5, 3.0], [-0.75, 0.0], [4.0, -2.5]], dtype="<f8")
npz_labels = np.array([0, 2, 1, 2, 0], dtype="<i8")
np.savez("d.npz", x=npz_x, y=npz_labels, w=np.arange(6, dtype="<f4").reshape(2, 3))
np.savez_compressed("d_compressed.npz", x=npz_x, y=npz_labels, w=np.arange(6, dtype="<f4").reshape(2, 3))
# Damaged copies: cut short, one byte of x's data changed (its CRC-32 no longer matches),
# a member NumPy cannot give nn (complex numbers), and a ZIP64 archive.
with open("d.npz", "rb") as file:
    stored = bytearray(file.read())
with open("d_truncated.npz", "wb") as file:
    file.write(stored[: len(stored) // 2])
x_data = stored.index(npz_x.tobytes())
stored[x_data] ^= 0x01
with open("d_bad_crc.npz", "wb") as file:
    file.write(stored)
np.savez("d_complex.npz", x=npz_x, z=np.array([1 + 2j]))
# A tiny ZIP64 archive: zipfile's limit lowered so that it writes ZIP64 records as for 4 GiB.
zipfile.ZIP64_LIMIT = 16
with zipfile.ZipFile("d_zip64.npz", "w", allowZip64=True) as archive:
    with archive.open("x.npy", "w", force_zip64=True) as member:
        np.save(member, npz_x)
