#!/usr/bin/python3
"""Generates the autograd fixtures that the Java tests compare against.

Run with Debian's interpreter (torch 1.13):
    /usr/bin/python3 src/test/python/gen_autograd_fixtures.py
Writes src/test/resources/fixtures/autograd/sums.json: torch.sum of float64 runs of many lengths,
whose values x_i = ldexp((a_i / 3.0), b_i) (integers a_i, b_i below) Java recomputes bit for bit, so
the summation order of streamgrad's Sums kernel can be checked against PyTorch's.
And src/test/resources/fixtures/autograd/ops.json: forward values and input gradients (for a random
grad_output) of every built-in op as torch computes them, broadcasting of single-element operands
included. And src/test/resources/fixtures/autograd/tensor_format.json: for each case the values
(row-major, as strings that Java's Double.parseDouble reads exactly), the shape, requires_grad,
and the string PyTorch prints for repr(tensor). float64 is made the default dtype, since it is
streamgrad's only precision, so torch prints no dtype suffix.
"""
import json
import math
import os

import numpy as np
import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "fixtures", "autograd")


def encode(v):
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return repr(float(v))


def case(name, values, shape, requires_grad=False):
    t = torch.tensor(np.asarray(values, dtype=np.float64).reshape(shape), dtype=torch.float64)
    t.requires_grad_(requires_grad)
    return {"name": name, "values": [encode(v) for v in t.detach().reshape(-1).tolist()],
            "shape": list(shape), "requiresGrad": requires_grad, "repr": repr(t)}


def sum_values(n):
    return [math.ldexp(((i * 7919 + n * 31) % 20011 - 10005) / 3.0, (i * 13 + n) % 21 - 10) for i in range(n)]


def sums():
    lengths = list(range(0, 70)) + [127, 128, 129, 255, 256, 257, 300, 511, 512, 513, 1000, 1023, 1024,
                                    1025, 4095, 4096, 4097, 5000, 16383, 16384, 20000, 32768]
    return [{"n": n, "sum": repr(torch.tensor(sum_values(n), dtype=torch.float64).sum().item())}
            for n in lengths]


def away_from_zero(rng, shape):
    return (0.5 + 1.5 * rng.random(shape)) * rng.choice([-1.0, 1.0], size=shape)


def op_case(rng, op, inputs, param=None):
    ts = [torch.tensor(x, requires_grad=True) for x in inputs]
    fns = {
        "add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
        "div": lambda a, b: a / b, "add_scalar": lambda a: a + param, "sub_scalar": lambda a: a - param,
        "mul_scalar": lambda a: a * param, "div_scalar": lambda a: a / param, "neg": lambda a: -a,
        "pow": lambda a: a ** param, "abs": lambda a: a.abs(), "sum": lambda a: a.sum(),
        "mean": lambda a: a.mean(), "reshape": lambda a: a.reshape(param),
        "mse_loss": lambda a, b: F.mse_loss(a, b),
    }
    out = fns[op](*ts)
    g = torch.tensor(rng.standard_normal(tuple(out.shape)))
    out.backward(g)
    return {"op": op, "param": param, "inputs": [x.tolist() for x in inputs],
            "output": out.detach().tolist(), "outputShape": list(out.shape), "gradOutput": g.tolist(),
            "gradFn": type(out.grad_fn).__name__,
            "grads": [t.grad.tolist() for t in ts]}


def ops(rng):
    cases = []
    shapes = [(2, 4), (3, 5), (7, 2), (4, 4), (1, 9), (5, 1), (), (13,), (2, 3, 2)]
    single = [(), (1, 1), (1,)]
    for op in ["add", "sub", "mul", "div"]:
        for shape in shapes:
            cases.append(op_case(rng, op, [away_from_zero(rng, shape), away_from_zero(rng, shape)]))
        for s1 in single:
            cases.append(op_case(rng, op, [away_from_zero(rng, (2, 4)), away_from_zero(rng, s1)]))
            cases.append(op_case(rng, op, [away_from_zero(rng, s1), away_from_zero(rng, (3, 5))]))
        cases.append(op_case(rng, op, [away_from_zero(rng, (2, 3)), away_from_zero(rng, (1, 1, 1))]))
        cases.append(op_case(rng, op, [away_from_zero(rng, (1, 1)), away_from_zero(rng, ())]))
    for shape in shapes:
        x = away_from_zero(rng, shape)
        for op, param in [("add_scalar", 1.25), ("sub_scalar", -0.5), ("mul_scalar", -3.0), ("div_scalar", 0.75)]:
            cases.append(op_case(rng, op, [x], param))
        for op in ["neg", "abs", "sum", "mean"]:
            cases.append(op_case(rng, op, [x]))
        for p in [2.0, 3.0, -1.0, -2.0, 1.0, 0.0]:
            cases.append(op_case(rng, "pow", [x], p))
        pos = np.abs(x)
        for p in [0.5, -0.5, 1.5, 2.7, -1.3]:
            cases.append(op_case(rng, "pow", [pos], p))
        cases.append(op_case(rng, "reshape", [x], [-1]))
        cases.append(op_case(rng, "reshape", [x], [1, -1, 1]))
        cases.append(op_case(rng, "mse_loss", [x, away_from_zero(rng, shape)]))
    return cases


def main():
    torch.set_default_dtype(torch.float64)
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "ops.json"), "w") as f:
        json.dump({"generator": "torch " + torch.__version__, "cases": ops(np.random.default_rng(7))}, f)
        f.write("\n")
    with open(os.path.join(OUT, "sums.json"), "w") as f:
        json.dump({"generator": "torch " + torch.__version__, "cases": sums()}, f, indent=1)
        f.write("\n")
    rng = np.random.default_rng(20261129)
    nan, inf = float("nan"), float("inf")
    cases = [
        case("scalar", [1.5], ()),
        case("scalar integer", [3.0], ()),
        case("scalar negative zero", [-0.0], ()),
        case("scalar tiny", [1.25e-7], ()),
        case("integers", [1, 2, 3], (3,)),
        case("zeros", [0, 0], (2,)),
        case("negative integers", [-1, 20, -300], (3,)),
        case("fixed", [1.5, -2.25], (2,)),
        case("sci round half even", [0.12345, 1 / 32, 2.00005, -0.00015, 0.99995], (5,)),
        case("fixed round half even", [0.12345, 1 / 32, 2.00005, 0.99995, -3 / 32], (5,)),
        case("sci small", [1e-5, 1.0], (2,)),
        case("sci large", [1e9, 1.5], (2,)),
        case("sci integer ratio", [1, 2000], (2,)),
        case("sci huge exponent", [1e-120, 3e150], (2,)),
        case("nan with integers", [nan, 1.0], (2,)),
        case("inf and fixed", [inf, -inf, 0.5], (3,)),
        case("all nan", [nan, nan], (2,)),
        case("inf with sci", [inf, 1e-7, 2.0], (3,)),
        case("3x4", rng.standard_normal(12), (3, 4)),
        case("2x3x4", rng.standard_normal(24) * 10, (2, 3, 4)),
        case("2x1x2x3", rng.standard_normal(12), (2, 1, 2, 3)),
        case("1xN", rng.standard_normal(7), (1, 7)),
        case("Nx1", rng.standard_normal(5), (5, 1)),
        case("1x1", [0.25], (1, 1)),
        case("long vector wraps", rng.standard_normal(30), (30,)),
        case("long rows wrap", rng.standard_normal(3 * 17) * 100, (3, 17)),
        case("summarized vector", rng.standard_normal(2000), (2000,)),
        case("summarized matrix", rng.standard_normal(40 * 50), (40, 50)),
        case("summarized 3-D", rng.standard_normal(10 * 10 * 12), (10, 10, 12)),
        case("summarized sci from edges only", np.concatenate([[1e-6], np.ones(1000), [2.0]]), (1002,)),
        case("summarized short last dim", rng.standard_normal(1001 * 2), (1001, 2)),
        case("empty vector", [], (0,)),
        case("empty matrix", [], (0, 3)),
        case("empty 3-D", [], (2, 0, 4)),
        case("requires grad", [1.0, -2.5, 3.25, 0.0], (2, 2), True),
        case("requires grad scalar", [2.0], (), True),
        case("requires grad suffix on new line", rng.standard_normal(9), (9,), True),
        case("requires grad 2-D suffix on new line", rng.standard_normal(18) * 1000, (2, 9), True),
    ]
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "tensor_format.json"), "w") as f:
        json.dump({"generator": "torch " + torch.__version__, "cases": cases}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
