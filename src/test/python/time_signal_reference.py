#!/usr/bin/python3
"""Times numpy/scipy on the signal benchmark sizes and prints the comparison table.

Run with Debian's interpreter (numpy 1.24, scipy 1.10), normally through
    sh src/test/bench/run-signal-benchmarks.sh
which first runs the JMH benchmarks (dev.streamgrad.bench.Signal*) and then
    /usr/bin/python3 src/test/python/time_signal_reference.py --jmh target/signal-jmh.json
Each reference figure is the median (and the best) over repeats of the mean time per call
(timeit), the Java figure the median (and the best) of the JMH iterations; ratios are reference
time / Java time (above 1: Java is faster), median to median and best to best. On a shared
machine the best-of figures are the steadier ones. numpy/scipy run single-threaded, as the Java
kernels do by default.
"""
import argparse
import json
import statistics
import timeit

import numpy as np
import scipy
import scipy.signal

CORR_SIZES = ["28x28*3x3", "256x256*5x5", "512x512*31x31"]
MODES = ["full", "valid"]
FFT_SIZES = [8, 256, 1024]


def dims(s):
    h, w = s.split("x")
    return int(h), int(w)


def median_time(fn, budget=3.0, repeats=12):
    """(median, best) over `repeats` of the mean seconds per call, calls per repeat sized to the budget."""
    t = timeit.timeit(fn, number=1)
    number = max(1, int(budget / repeats / max(t, 1e-9)))
    times = [r / number for r in timeit.repeat(fn, number=number, repeat=repeats)]
    return statistics.median(times), min(times)


def reference():
    rng = np.random.default_rng(1)
    out = {}
    for size in CORR_SIZES:
        a, k = size.split("*")
        x = rng.standard_normal(dims(a))
        h = rng.standard_normal(dims(k))
        for mode in MODES:
            out[f"correlate2d {size} {mode} scipy.signal.correlate2d"] = median_time(
                lambda: scipy.signal.correlate2d(x, h, mode=mode))
            out[f"correlate2d {size} {mode} scipy.signal.correlate fft"] = median_time(
                lambda: scipy.signal.correlate(x, h, mode=mode, method="fft"))
    for n in FFT_SIZES:
        x = rng.standard_normal((n, n))
        spec = np.fft.rfft2(x)
        out[f"rfft2 {n}x{n} numpy.fft.rfft2"] = median_time(lambda: np.fft.rfft2(x))
        out[f"irfft2 {n}x{n} numpy.fft.irfft2"] = median_time(lambda: np.fft.irfft2(spec, s=(n, n)))
    return out


def jmh_medians(path):
    """{(benchmark, params): median seconds} from a JMH JSON result file (average-time mode, us/op)."""
    with open(path) as f:
        runs = json.load(f)
    out = {}
    for r in runs:
        name = r["benchmark"].rsplit(".", 1)[1]
        params = r.get("params", {})
        raw = [v for fork in r["primaryMetric"]["rawData"] for v in fork]
        out[(name, tuple(sorted(params.items())))] = (statistics.median(raw) * 1e-6, min(raw) * 1e-6)
    return out


def fmt(seconds):
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.1f} us"


def pair(t):
    return f"{fmt(t[0])} ({fmt(t[1])})" if t else "-"


def ratio(ref, java):
    return f"{ref[0] / java[0]:.2f}x ({ref[1] / java[1]:.2f}x)" if java else "-"


def table(ref, jmh):
    lines = ["Median (best) time per call; ratio = faster reference / streamgrad, median (best).", "",
             "| correlate2d | mode | streamgrad auto | streamgrad direct | streamgrad fft | scipy correlate2d"
             " | scipy correlate fft | ratio |", "|---|---|---|---|---|---|---|---|"]
    for size in CORR_SIZES:
        for mode in MODES:
            java = {m: jmh.get(("correlate2d", tuple(sorted({"size": size, "mode": mode, "method": m}.items()))))
                    for m in ["auto", "direct", "fft"]}
            direct = ref[f"correlate2d {size} {mode} scipy.signal.correlate2d"]
            fft = ref[f"correlate2d {size} {mode} scipy.signal.correlate fft"]
            best = (min(direct[0], fft[0]), min(direct[1], fft[1]))
            lines.append(f"| {size} | {mode} | {pair(java['auto'])} | {pair(java['direct'])} | {pair(java['fft'])}"
                         f" | {pair(direct)} | {pair(fft)} | {ratio(best, java['auto'])} |")
    lines += ["", "| kernel | size | streamgrad | numpy | ratio |", "|---|---|---|---|---|"]
    for op in ["rfft2", "irfft2"]:
        for n in FFT_SIZES:
            java = jmh.get((op, (("n", str(n)),)))
            ref_t = ref[f"{op} {n}x{n} numpy.fft.{op}"]
            lines.append(f"| {op} | {n}x{n} | {pair(java)} | {pair(ref_t)} | {ratio(ref_t, java)} |")
    return "\n".join(lines)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--jmh", help="JMH JSON result file to compare against")
    args = p.parse_args()
    ref = reference()
    print(f"numpy {np.__version__}, scipy {scipy.__version__}")
    if args.jmh:
        print(table(ref, jmh_medians(args.jmh)))
    else:
        for k, v in ref.items():
            print(f"{k}: {pair(v)}")


if __name__ == "__main__":
    main()
