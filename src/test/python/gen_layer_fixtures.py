#!/usr/bin/python3
"""Generates the layer fixtures that the Java tests compare against.

Run with Debian's interpreter (numpy 1.24, scipy 1.10, torch 1.13):
    /usr/bin/python3 src/test/python/gen_layer_fixtures.py
Writes src/test/resources/fixtures/layers/{conv2d,bad_fft,fft_magnitude}.json.

Expected values come from the real libraries: torch.nn.functional.conv2d (a cross-correlation,
which is what the tutorial's correlate2d 'valid' computes) with torch autograd for the
gradients; numpy.fft for BadFFT's forward abs(rfft2(x)) and backward irfft2(g); and
torch.fft.rfft2(x).abs() with torch autograd for the true gradient of the FFT magnitude.
"""
import json
import os

import numpy as np
import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "fixtures", "layers")


def tolist(a):
    return np.asarray(a, dtype=np.float64).tolist()


def conv2d_cases(rng):
    # (input h, w, kernel h, w): square, non-square, odd, even, prime, power of two, 1xN, Nx1, 1x1, full-size kernel
    sizes = [(10, 10, 3, 3), (8, 12, 2, 5), (7, 7, 7, 7), (1, 9, 1, 3), (13, 6, 4, 1),
             (5, 5, 1, 1), (16, 16, 4, 4), (28, 28, 3, 3), (11, 17, 5, 2), (9, 1, 3, 1)]
    cases = []
    for h, w, kh, kw in sizes:
        x = torch.tensor(rng.standard_normal((h, w)), dtype=torch.float64, requires_grad=True)
        k = torch.tensor(rng.standard_normal((kh, kw)), dtype=torch.float64, requires_grad=True)
        b = torch.tensor(rng.standard_normal((1, 1)), dtype=torch.float64, requires_grad=True)
        out = F.conv2d(x[None, None], k[None, None]).squeeze(0).squeeze(0) + b
        g = torch.tensor(rng.standard_normal(tuple(out.shape)), dtype=torch.float64)
        out.backward(g)
        cases.append({
            "input": tolist(x.detach()), "filter": tolist(k.detach()), "bias": tolist(b.detach()),
            "output": tolist(out.detach()), "gradOutput": tolist(g),
            "gradInput": tolist(x.grad), "gradFilter": tolist(k.grad), "gradBias": tolist(b.grad),
        })
    return cases


def bad_fft_cases(rng):
    # Only sizes whose backward has the input's shape (even widths); odd widths are tested for the error.
    cases = []
    for h, w in [(8, 8), (6, 10), (7, 4), (1, 8), (5, 2), (16, 32), (13, 2)]:
        x = rng.standard_normal((h, w))
        y = np.abs(np.fft.rfft2(x))
        g = rng.standard_normal(y.shape)
        cases.append({"input": tolist(x), "output": tolist(y), "gradOutput": tolist(g),
                      "gradInput": tolist(np.fft.irfft2(g))})
    return cases


def fft_magnitude_cases(rng):
    cases = []
    for h, w in [(8, 8), (7, 7), (6, 10), (5, 9), (1, 8), (1, 7), (9, 1), (16, 16), (13, 11), (2, 3)]:
        x = torch.tensor(rng.standard_normal((h, w)), dtype=torch.float64, requires_grad=True)
        y = torch.fft.rfft2(x).abs()
        g = torch.tensor(rng.standard_normal(tuple(y.shape)), dtype=torch.float64)
        y.backward(g)
        cases.append({"input": tolist(x.detach()), "output": tolist(y.detach()), "gradOutput": tolist(g),
                      "gradInput": tolist(x.grad)})
    return cases


def main():
    rng = np.random.default_rng(20261128)
    os.makedirs(OUT, exist_ok=True)
    meta = {"numpy": np.__version__, "torch": torch.__version__}
    for name, cases in [("conv2d", conv2d_cases(rng)), ("bad_fft", bad_fft_cases(rng)),
                        ("fft_magnitude", fft_magnitude_cases(rng))]:
        with open(os.path.join(OUT, name + ".json"), "w") as f:
            json.dump({"generatedBy": "src/test/python/gen_layer_fixtures.py", "versions": meta, "cases": cases},
                      f, indent=None)
            f.write("\n")


if __name__ == "__main__":
    main()
