#!/usr/bin/python3
"""Generates the fixtures for the signal kernels' edges: flag names and non-finite inputs.

Run with Debian's interpreter (numpy 1.24, scipy 1.10):
    /usr/bin/python3 src/test/python/gen_signal_edge_fixtures.py
Writes src/test/resources/fixtures/signal/{flags,nonfinite}.json.

flags.json: for every candidate name of scipy.signal's mode, boundary and method flags and of
numpy.fft's norm, what scipy/numpy do with it: the result of a small call (the name is accepted) or
the ValueError's message. Candidates are the exact names, scipy's aliases, other capitalisations,
names with spaces, the empty string, None, 'reflect' (in scipy's boundary table but rejected by its
2-D convolution), and the names scipy's and numpy's own tests use ('spam', 'eggs', 'ham', 'bacon';
None, 'backward', 'ortho', 'forward').

nonfinite.json: scipy.signal.correlate2d / convolve2d (always the direct sum of products) of
inputs holding NaN, +inf or -inf, in the input, the kernel or the fill value, for every mode and
boundary; among them the issue's 96x96 input with a 17x17 kernel and the 2-D form of scipy's
test_fft_nan (a firwin(200, 0.2) kernel over 1000 samples with NaN or inf at sample 100), where
scipy.signal.convolve(method='fft') warns that the FFT spreads the non-finite value. Also the
boundary cases of scipy's own tests (test_wrap_boundary, test_sym_boundary,
test_same_with_boundary, test_boundary_extension_same/full) with their expected values.
Arrays are base64 of little-endian float64 (row-major) next to their shape, NaN and inf included.
"""
import base64
import json
import os
import warnings

import numpy as np
import scipy
import scipy.signal

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "fixtures", "signal")


def arr(a):
    a = np.asarray(a, dtype=np.float64)
    return {"shape": list(a.shape),
            "data": base64.b64encode(np.ascontiguousarray(a, dtype="<f8").tobytes()).decode("ascii")}


def outcome(call):
    """{"out": array} or {"error": message} of a call, the way scipy/numpy answer it."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return {"out": arr(call())}
    except ValueError as e:
        return {"error": str(e)}


NAMES = {
    "mode": ["full", "same", "valid", "FULL", "Full", "Same", "VALID", " full", "full ", "", None,
             "spam", "eggs", "ham", "middle"],
    "boundary": ["fill", "pad", "wrap", "circular", "symm", "symmetric", "reflect", "FILL", "Fill", "Pad",
                 "WRAP", "Circular", "Symm", "SYMMETRIC", "symm ", "", None, "zero", "constant"],
    "method": ["auto", "direct", "fft", "AUTO", "Auto", "Direct", "FFT", "Fft", " fft", "", None, "bacon",
               "fast"],
    "norm": [None, "backward", "ortho", "forward", "ORTHO", "Ortho", "Backward", "FORWARD", " ortho", "",
             "none", "None"],
}


def flag_cases(rng):
    x = rng.standard_normal((5, 6))
    k = rng.standard_normal((3, 2))
    cases = []
    for name in NAMES["mode"]:
        cases.append({"flag": "mode", "name": name,
                      **outcome(lambda: scipy.signal.correlate2d(x, k, mode=name))})
    for name in NAMES["boundary"]:
        cases.append({"flag": "boundary", "name": name,
                      **outcome(lambda: scipy.signal.convolve2d(x, k, mode="same", boundary=name,
                                                                fillvalue=0.5))})
    for name in NAMES["method"]:
        cases.append({"flag": "method", "name": name,
                      **outcome(lambda: scipy.signal.correlate(x, k, mode="full", method=name))})
    for name in NAMES["norm"]:
        case = {"flag": "norm", "name": name, **outcome(lambda: np.fft.irfft2(np.fft.rfft2(x, norm=name),
                                                                              s=x.shape, norm=name))}
        if "out" in case:
            spectrum = np.fft.rfft2(x, norm=name)
            case["re"] = arr(spectrum.real)
            case["im"] = arr(spectrum.imag)
        cases.append(case)
    return {"x": arr(x), "k": arr(k), "cases": cases}


MODES = ["full", "same", "valid"]


def firwin_kernel():
    return scipy.signal.firwin(200, 0.2).reshape(1, 200)


ALL_BOUNDARIES = [("fill", 0.0), ("wrap", 0.0), ("symm", 0.0)]


def nonfinite_groups(rng):
    """(label, in1, in2, combos): non-finite values placed in the input or the kernel; combos are
    (op, mode, boundary, fillvalue), every op and mode unless a group names fewer (large outputs)."""
    groups = []

    def put(a, values):
        a = a.copy()
        for (r, c), v in values:
            a[r, c] = v
        return a

    def every(boundaries, modes=MODES):
        return [(op, m, b, f) for op in ["correlate2d", "convolve2d"] for m in modes for b, f in boundaries]

    # sizes for which the cost model of Correlation.chooseMethod picks the FFT when the values are
    # finite (the 1xN group at the end excepted), so that Method.AUTO's choice is what is tested
    big = rng.standard_normal((96, 96))
    k17 = rng.standard_normal((17, 17))
    groups.append(("issue: NaN in a 96x96 input, 17x17 kernel", put(big, [((40, 50), np.nan)]), k17,
                   [("correlate2d", "valid", "fill", 0.0), ("correlate2d", "same", "symm", 0.0),
                    ("convolve2d", "full", "fill", 0.0)]))
    x48 = rng.standard_normal((48, 48))
    k13 = rng.standard_normal((13, 13))
    groups.append(("+inf and -inf in a 48x48 input", put(x48, [((10, 10), np.inf), ((12, 14), -np.inf)]), k13,
                   every([("fill", 0.0), ("symm", 0.0)])))
    groups.append(("inf at the corner", put(x48, [((0, 0), np.inf)]), k13,
                   every([("wrap", 0.0), ("symm", 0.0)], modes=["same"])))
    x32 = rng.standard_normal((32, 32))
    groups.append(("NaN in a 16x16 kernel", x32, put(rng.standard_normal((16, 16)), [((4, 4), np.nan)]),
                   every([("fill", 0.0), ("wrap", 0.0)])))
    groups.append(("inf in a 16x16 kernel", x32, put(rng.standard_normal((16, 16)), [((0, 15), np.inf)]),
                   every([("fill", 0.0)])))
    groups.append(("prime sizes, inf at (0, 0)", put(rng.standard_normal((47, 53)), [((0, 0), np.inf)]),
                   rng.standard_normal((15, 11)),
                   every([("fill", 0.0)]) + every([("wrap", 0.0), ("symm", 0.0)], modes=["same"])))
    groups.append(("power of two, non-finite fill values", rng.standard_normal((32, 32)),
                   rng.standard_normal((16, 16)), every([("fill", float("nan")), ("fill", float("inf"))])))
    groups.append(("even kernel, NaN and inf",
                   put(rng.standard_normal((64, 64)), [((5, 5), np.nan), ((20, 30), np.inf)]),
                   rng.standard_normal((12, 12)),
                   every([("fill", 1.5)], modes=["valid", "same"]) + every([("symm", 0.0)], modes=["same"])))
    sig = rng.standard_normal((1, 1000))
    groups.append(("scipy test_fft_nan, NaN", put(sig, [((0, 100), np.nan)]), firwin_kernel(),
                   every([("fill", 0.0)])))
    groups.append(("scipy test_fft_nan, inf", put(sig, [((0, 100), np.inf)]), firwin_kernel(),
                   every([("fill", 0.0)])))
    groups.append(("1xN input, 1xN kernel", put(rng.standard_normal((1, 300)), [((0, 7), -np.inf)]),
                   rng.standard_normal((1, 31)), every(ALL_BOUNDARIES)))
    return groups


def java_double(v):
    return "NaN" if np.isnan(v) else ("Infinity" if v == np.inf else ("-Infinity" if v == -np.inf else repr(v)))


def nonfinite_cases(rng):
    out = []
    for label, in1, in2, combos in nonfinite_groups(rng):
        cases = []
        for op, mode, boundary, fillvalue in combos:
            fn = getattr(scipy.signal, op)
            # as text: JSON has no NaN or Infinity, Java's Double.parseDouble reads these
            case = {"op": op, "mode": mode, "boundary": boundary, "fillvalue": java_double(fillvalue)}
            case.update(outcome(lambda: fn(in1, in2, mode=mode, boundary=boundary, fillvalue=fillvalue)))
            cases.append(case)
        out.append({"label": label, "in1": arr(in1), "in2": arr(in2), "cases": cases})
    return out


def scipy_suite_cases():
    """Boundary cases from scipy 1.10's test_signaltools.py, with the values those tests expect."""
    a = [[1, 2, 3], [3, 4, 5]]
    b = [[2, 3, 4], [4, 5, 6]]
    cases = [
        {"label": "test_wrap_boundary", "op": "convolve2d", "in1": arr(a), "in2": arr(b), "mode": "full",
         "boundary": "wrap", "expected": arr([[80, 80, 74, 80, 80], [68, 68, 62, 68, 68], [80, 80, 74, 80, 80]])},
        {"label": "test_sym_boundary", "op": "convolve2d", "in1": arr(a), "in2": arr(b), "mode": "full",
         "boundary": "symm", "expected": arr([[34, 30, 44, 62, 66], [52, 48, 62, 80, 84], [82, 78, 92, 110, 114]])},
    ]
    image = np.array([[2.0, -1.0, 3.0, 4.0]])
    for op in ["convolve2d", "correlate2d"]:
        for boundary, expected in [("symm", [[37.0, 42.0, 44.0, 45.0]]), ("wrap", [[43.0, 44.0, 42.0, 39.0]])]:
            cases.append({"label": "test_same_with_boundary", "op": op, "in1": arr(image), "in2": arr(np.ones((1, 21))),
                          "mode": "same", "boundary": boundary, "expected": arr(expected)})
    import scipy.ndimage as ndi
    a = np.arange(1, 10 * 3 + 1, dtype=float).reshape(10, 3)
    b = np.arange(1, 10 * 10 + 1, dtype=float).reshape(10, 10)
    cases.append({"label": "test_boundary_extension_same", "op": "convolve2d", "in1": arr(a), "in2": arr(b),
                  "mode": "same", "boundary": "wrap", "expected": arr(ndi.convolve(a, b, mode="wrap", origin=(-1, -1)))})
    a = np.arange(1, 3 * 3 + 1, dtype=float).reshape(3, 3)
    b = np.arange(1, 6 * 6 + 1, dtype=float).reshape(6, 6)
    apad = np.pad(a, ((3, 3), (3, 3)), "wrap")
    cases.append({"label": "test_boundary_extension_full", "op": "convolve2d", "in1": arr(a), "in2": arr(b),
                  "mode": "full", "boundary": "wrap", "expected": arr(ndi.convolve(apad, b, mode="wrap")[:-1, :-1])})
    for c in cases:
        fn = getattr(scipy.signal, c["op"])
        got = fn(decode(c["in1"]), decode(c["in2"]), mode=c["mode"], boundary=c["boundary"])
        np.testing.assert_array_equal(got, decode(c["expected"]))  # scipy 1.10 passes its own test
    return cases


def decode(node):
    return np.frombuffer(base64.b64decode(node["data"]), dtype="<f8").reshape(node["shape"])


def write(name, doc):
    path = os.path.join(OUT, name)
    doc = {"generator": "src/test/python/gen_signal_edge_fixtures.py", "numpy": np.__version__,
           "scipy": scipy.__version__, **doc}
    with open(path, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    print(path, os.path.getsize(path), "bytes")


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20261206)
    write("flags.json", flag_cases(rng))
    write("nonfinite.json", {"groups": nonfinite_cases(rng), "scipyTests": scipy_suite_cases()})


if __name__ == "__main__":
    main()
