#!/usr/bin/python3
"""Generates what torch.autograd.gradcheck says about functions whose output shape changes when an
input is perturbed, for GradcheckShapeTest.

Run with Debian's interpreter (torch 1.13):
    /usr/bin/python3 src/test/python/gen_gradcheck_fixtures.py
Writes src/test/resources/fixtures/autograd/gradcheck_shapes.json.

Each case's function returns 2 * x.flatten()[:n], where n depends on the sign of one element of x
(n_pos when it is positive, n_neg otherwise), and x is all zeros but for that element's value. Perturbing
that element by -eps and +eps crosses zero, so the two outputs differ in shape; torch asserts
"Expected `func` to return outputs with the same shape when inputs are perturbed on index {idx} by
<eps>, but got: shapes torch.Size([..]) and torch.Size([..])." (torch 1.13 prints "{idx}" as is: the
f-prefix of that string is missing; streamgrad fills in the index). The type and text are recorded,
also with raise_exception=False, which does not catch this assertion. A last case changes the
shape only away from the unperturbed value (both perturbations agree): torch then fails later, with
a RuntimeError from copying a column of the wrong length, which is recorded too.
"""
import json
import os

import torch
from torch.autograd import gradcheck

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "fixtures", "autograd")

CASES = [
    {"shape": [2, 3], "element": 1, "n_pos": 3, "n_neg": 2, "eps": 1e-6, "value": 0.0},
    {"shape": [4], "element": 1, "n_pos": 3, "n_neg": 1, "eps": 1e-4, "value": 0.0},
    {"shape": [3, 2], "element": 5, "n_pos": 1, "n_neg": 4, "eps": 1e-3, "value": 0.0},
    {"shape": [2, 2, 2], "element": 6, "n_pos": 8, "n_neg": 5, "eps": 1e-6, "value": 0.0},
]


def prefix_function(element, n_pos, n_neg, value=None):
    def f(x):
        v = x.flatten()[element]
        n = n_pos if v > 0 else n_neg
        if value is not None:
            n = n_pos if v != value else n_neg
        return x.flatten()[:n] * 2
    return f


def run(case, raise_exception, unperturbed_only=False):
    x = torch.zeros(case["shape"], dtype=torch.double)
    x.flatten()[case["element"]] = case["value"]
    x.requires_grad_(True)
    f = prefix_function(case["element"], case["n_pos"], case["n_neg"], case["value"] if unperturbed_only else None)
    try:
        return {"result": gradcheck(f, (x,), eps=case["eps"], atol=1e-5, raise_exception=raise_exception)}
    except Exception as e:  # AssertionError and RuntimeError, as torch raises them
        return {"type": type(e).__name__, "message": str(e)}


def main():
    os.makedirs(OUT, exist_ok=True)
    cases = []
    for c in CASES:
        cases.append({**c, "raised": run(c, True), "raisedWithoutRaiseException": run(c, False)})
    unperturbed = {"shape": [2, 3], "element": 4, "n_pos": 4, "n_neg": 2, "eps": 1e-6, "value": 0.0}
    doc = {"generator": "src/test/python/gen_gradcheck_fixtures.py", "torch": torch.__version__, "cases": cases,
           "shapeChangesOnlyAwayFromTheInput": {**unperturbed, "raised": run(unperturbed, True, True)}}
    path = os.path.join(OUT, "gradcheck_shapes.json")
    with open(path, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print(path)


if __name__ == "__main__":
    main()
