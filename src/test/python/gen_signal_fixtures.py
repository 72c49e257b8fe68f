#!/usr/bin/python3
"""Generates the signal-kernel fixtures that the Java tests compare against.

Run with Debian's interpreter (numpy 1.24, scipy 1.10):
    /usr/bin/python3 src/test/python/gen_signal_fixtures.py
Writes src/test/resources/fixtures/signal/{fft,correlation}.json.

Expected values come from numpy.fft.rfft2 / irfft2 and scipy.signal.correlate2d / convolve2d.
Arrays are stored compactly as base64 of little-endian float64 (row-major) next to their shape.
Sizes cover even, odd, prime, power-of-two, 1xN, Nx1 and 1x1 shapes; every norm and several s
(pad, crop, odd last axis); every mode and boundary with zero and non-zero fillvalue, even
kernels (where scipy's 'same' alignment differs between correlation and convolution), and the
'valid' input swap. Errors scipy raises are recorded with their message.

scipy 1.10 wraps or mirrors an index only once, so 'wrap'/'symm' read outside the input when a
kernel dimension exceeds the input's by more than one: those combinations are not generated.
"""
import base64
import json
import os

import numpy as np
import scipy
import scipy.signal

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "fixtures", "signal")


def b64(a):
    return base64.b64encode(np.ascontiguousarray(a, dtype="<f8").tobytes()).decode("ascii")


def arr(a):
    a = np.asarray(a, dtype=np.float64)
    return {"shape": list(a.shape), "data": b64(a)}


FFT_SHAPES = [(1, 1), (1, 2), (1, 7), (1, 8), (1, 101), (2, 1), (7, 1), (8, 1), (97, 1), (2, 2), (3, 3),
              (4, 4), (5, 5), (6, 6), (7, 7), (8, 8), (13, 13), (16, 16), (6, 10), (9, 4), (17, 31),
              (12, 17), (32, 16), (3, 64), (30, 45), (64, 12)]
NORMS = ["backward", "ortho", "forward"]


def fft_cases(rng):
    """One group per shape: its input, then rfft2 cases; a random half spectrum, then irfft2 cases.

    Every norm with the default s; the other s values each with one norm, in turn."""
    groups = []
    turn = 0
    for h, w in FFT_SHAPES:
        x = rng.standard_normal((h, w))
        rcases = []
        for s in [None, (h + 2, w + 3), (max(1, h - 1), max(1, w - 1)), (h, 2 * w + 1)]:
            norms = NORMS if s is None else [NORMS[turn % 3]]
            turn += 1
            for norm in norms:
                out = np.fft.rfft2(x, s=s, norm=norm)
                rcases.append({"s": None if s is None else list(s), "norm": norm,
                               "re": arr(out.real), "im": arr(out.imag)})
        # irfft2 of a general (non-Hermitian) half spectrum: numpy ignores the imaginary parts of
        # the DC and Nyquist bins of the last axis
        m1 = w // 2 + 1
        spec = rng.standard_normal((h, m1)) + 1j * rng.standard_normal((h, m1))
        icases = []
        for s in [None, (h, w), (h, 2 * m1 - 1), (h + 3, w + 2), (max(1, h - 1), max(1, w - 1))]:
            if s is None and m1 < 2:
                continue  # numpy: "Invalid number of FFT data points (0) specified."
            norms = NORMS if s is None or s == (h, w) else [NORMS[turn % 3]]
            turn += 1
            for norm in norms:
                out = np.fft.irfft2(spec, s=s, norm=norm)
                icases.append({"s": None if s is None else list(s), "norm": norm, "out": arr(out)})
        groups.append({"x": arr(x), "rfft2": rcases, "spec_re": arr(spec.real), "spec_im": arr(spec.imag),
                       "irfft2": icases})
    return groups


# (in1, in2) shapes: kernels odd, even, mixed, 1x1, 1xN, Nx1, as large as and larger than the input
CORR_PAIRS = [
    ((1, 1), (1, 1)), ((1, 7), (1, 3)), ((1, 16), (1, 4)), ((7, 1), (3, 1)), ((8, 1), (2, 1)),
    ((1, 9), (1, 9)), ((5, 5), (3, 3)), ((5, 5), (2, 2)), ((6, 6), (3, 3)), ((6, 6), (4, 4)),
    ((7, 9), (2, 5)), ((7, 9), (5, 2)), ((8, 8), (3, 4)), ((8, 8), (8, 8)), ((11, 13), (3, 3)),
    ((11, 13), (6, 4)), ((13, 17), (7, 7)), ((16, 16), (5, 5)), ((16, 16), (4, 4)), ((3, 20), (2, 3)),
    ((28, 28), (3, 3)), ((17, 8), (1, 1)), ((4, 4), (5, 5)), ((5, 7), (6, 8)), ((6, 5), (7, 6)),
    ((2, 2), (3, 3)), ((3, 3), (9, 9)), ((2, 11), (3, 31)), ((15, 15), (16, 16)),
    # valid-mode swap: in2 at least as large in every dimension
    ((3, 3), (5, 6)), ((2, 4), (7, 4)), ((1, 3), (1, 8)), ((4, 1), (9, 1)), ((6, 5), (12, 13)),
    ((1, 1), (5, 3)), ((3, 4), (16, 16)),
    # neither at least as large in every dimension: 'valid' is an error, 'full'/'same' work
    ((5, 3), (3, 5)), ((1, 8), (2, 4)), ((9, 2), (4, 6)),
]
MODES = ["full", "same", "valid"]
BOUNDARIES = [("fill", 0.0), ("fill", 2.5), ("wrap", 0.0), ("symm", 0.0)]


def corr_cases(rng):
    """One group per input pair: the inputs, then one case per op, mode, boundary and fillvalue."""
    groups = []
    for a, b in CORR_PAIRS:
        in1 = rng.standard_normal(a)
        in2 = rng.standard_normal(b)
        scipy_reads_outside = b[0] > a[0] + 1 or b[1] > a[1] + 1
        cases = []
        for op in ["correlate2d", "convolve2d"]:
            fn = getattr(scipy.signal, op)
            for mode in MODES:
                for boundary, fillvalue in BOUNDARIES:
                    if boundary != "fill" and scipy_reads_outside and mode != "valid":
                        continue
                    case = {"op": op, "mode": mode, "boundary": boundary, "fillvalue": fillvalue}
                    try:
                        case["out"] = arr(fn(in1, in2, mode=mode, boundary=boundary, fillvalue=fillvalue))
                    except ValueError as e:
                        case["error"] = str(e)
                    cases.append(case)
        groups.append({"in1": arr(in1), "in2": arr(in2), "cases": cases})
    return groups


# Shapes for the row-band engine (power-of-two rows and width, at least 16 rows; RowFft in Java):
# (input shape, [(s, norm), ...]) with zero padding and cropping of both axes, several bands of
# 256 rows, and the shortest width it takes (8). Own random stream, so the groups above keep their data.
BAND_CASES = [((30, 61), [((32, 64), "backward"), ((32, 64), "ortho")]),
              ((33, 65), [((32, 64), "forward")]),
              ((600, 5), [((1024, 8), "backward")]),
              ((64, 8), [(None, "backward")])]


def band_cases():
    """rfft2 cases that take the row-band path, each group with one plain irfft2 case too."""
    rng = np.random.default_rng(20261130)
    groups = []
    for (h, w), cases in BAND_CASES:
        x = rng.standard_normal((h, w))
        rcases = []
        for s, norm in cases:
            out = np.fft.rfft2(x, s=s, norm=norm)
            rcases.append({"s": None if s is None else list(s), "norm": norm, "re": arr(out.real), "im": arr(out.imag)})
        spec = np.fft.rfft2(x)
        icases = [{"s": [h, w], "norm": "backward", "out": arr(np.fft.irfft2(spec, s=(h, w)))}]
        groups.append({"x": arr(x), "rfft2": rcases, "spec_re": arr(spec.real), "spec_im": arr(spec.imag),
                       "irfft2": icases})
    return groups


def write(name, groups):
    path = os.path.join(OUT, name)
    doc = {"generator": "src/test/python/gen_signal_fixtures.py", "numpy": np.__version__,
           "scipy": scipy.__version__, "groups": groups}
    with open(path, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    n = sum(len(g.get("cases", [])) + len(g.get("rfft2", [])) + len(g.get("irfft2", [])) for g in groups)
    print(path, len(groups), "groups", n, "cases", os.path.getsize(path), "bytes")


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20261129)
    write("fft.json", fft_cases(rng) + band_cases())
    write("correlation.json", corr_cases(rng))


if __name__ == "__main__":
    main()
