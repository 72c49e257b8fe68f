#!/usr/bin/python3
"""Generates the autograd fixtures that the Java tests compare against.

Run with Debian's interpreter (torch 1.13):
    /usr/bin/python3 src/test/python/gen_autograd_fixtures.py
Writes src/test/resources/fixtures/autograd/sums.json: torch.sum of float64 runs of many lengths,
whose values x_i = ldexp((a_i / 3.0), b_i) (integers a_i, b_i below) Java recomputes bit for bit, so
the summation order of streamgrad's Sums kernel can be checked against PyTorch's.
And src/test/resources/fixtures/autograd/ops.json: forward values and input gradients (for a random
grad_output) of every built-in op as torch computes them, broadcasting of single-element operands
included. And src/test/resources/fixtures/autograd/tensor_ops.json: the same for the ops a layer
author reaches for (exp, log, sqrt, tanh, sigmoid, relu, clamp, where/masked_fill, narrow and
slicing, constant pad, sum/mean over dimensions with keepdim) and for numpy-rule broadcasting of
the binary ops, on even, odd, prime, power-of-two, 1xN and 0-D shapes; an input that takes no
gradient (a condition) has null as its gradient. And src/test/resources/fixtures/autograd/tensor_format.json: for each case the values
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


def tensor_op_case(rng, op, inputs, param=None, differentiable=None):
    """One case of tensor_ops.json; differentiable[i] False makes input i a bool condition."""
    differentiable = differentiable or [True] * len(inputs)
    ts = [torch.tensor(x, requires_grad=True) if d else torch.tensor(x) != 0
          for x, d in zip(inputs, differentiable)]
    p = param or {}
    fns = {
        "exp": lambda a: a.exp(), "log": lambda a: a.log(), "sqrt": lambda a: a.sqrt(),
        "tanh": lambda a: a.tanh(), "sigmoid": lambda a: a.sigmoid(), "relu": lambda a: a.relu(),
        "clamp": lambda a: a.clamp(p.get("min"), p.get("max")),
        "add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
        "div": lambda a, b: a / b,
        "where": lambda c, a, b: torch.where(c, a, b),
        "masked_fill": lambda a: a.masked_fill(a > p["threshold"], p["value"]),
        "narrow": lambda a: a.narrow(p["dim"], p["start"], p["length"]),
        "slice": lambda a: a[(slice(None),) * (p["dim"] % a.dim()) + (slice(p["start"], p["end"]),)],
        "pad": lambda a: F.pad(a, tuple(p["pad"]), value=p["value"]),
        "sum_dim": lambda a: a.sum(p["dims"], keepdim=p["keepdim"]),
        "mean_dim": lambda a: a.mean(p["dims"], keepdim=p["keepdim"]),
    }
    out = fns[op](*ts)
    g = torch.tensor(rng.standard_normal(tuple(out.shape)))
    out.backward(g)
    return {"op": op, "param": param, "inputs": [np.asarray(x, dtype=np.float64).tolist() for x in inputs],
            "output": out.detach().tolist(), "outputShape": list(out.shape), "gradOutput": g.tolist(),
            "gradFn": type(out.grad_fn).__name__,
            "grads": [t.grad.tolist() if d else None for t, d in zip(ts, differentiable)]}


def on_grid(rng, shape):
    """Values in multiples of 0.5 in [-2, 2]: zeros and clamp bounds are hit exactly."""
    return rng.integers(-4, 5, size=shape) / 2.0


def tensor_ops(rng):
    cases = []
    shapes = [(2, 4), (3, 5), (7,), (7, 2), (8, 8), (16,), (1, 9), (5, 1), (), (2, 3, 2)]
    for shape in shapes:
        x = rng.standard_normal(shape) * 2
        pos = away_from_zero(rng, shape) ** 2
        for op in ["exp", "tanh", "sigmoid"]:
            cases.append(tensor_op_case(rng, op, [x]))
        for op in ["log", "sqrt"]:
            cases.append(tensor_op_case(rng, op, [pos]))
        grid = on_grid(rng, shape)
        cases.append(tensor_op_case(rng, "relu", [grid]))
        cases.append(tensor_op_case(rng, "relu", [x]))
        for bounds in [{"min": -1.0, "max": 0.5}, {"min": -0.5}, {"max": 1.0}, {"min": 1.0, "max": -1.0}]:
            cases.append(tensor_op_case(rng, "clamp", [grid], bounds))
        cases.append(tensor_op_case(rng, "masked_fill", [x], {"threshold": 0.5, "value": -2.0}))
        mask = (rng.random(shape) < 0.5).astype(np.float64)
        cases.append(tensor_op_case(rng, "where", [mask, x, rng.standard_normal(shape)], None, [False, True, True]))
    pairs = [((3, 1), (1, 4)), ((5,), (2, 5)), ((2, 5), (5,)), ((4, 1, 3), (2, 1)), ((1,), (3, 4)),
             ((), (2, 3)), ((2, 3), ()), ((7, 1), (1, 13)), ((1, 8), (16, 1)), ((2, 1, 4), (3, 1)),
             ((6, 1), (6, 5)), ((1, 9), (4, 9)), ((20, 1), (20, 3)), ((1, 3), (40, 3)), ((2, 1, 1), (1, 3, 5))]
    for op in ["add", "sub", "mul", "div"]:
        for sa, sb in pairs:
            cases.append(tensor_op_case(rng, op, [away_from_zero(rng, sa), away_from_zero(rng, sb)]))
    for sc, sa, sb in [((3, 4), (3, 1), (1, 4)), ((5,), (2, 5), ()), ((2, 1), (2, 3), (3,)), ((), (4, 4), (4, 1))]:
        mask = (rng.random(sc) < 0.5).astype(np.float64)
        cases.append(tensor_op_case(rng, "where", [mask, rng.standard_normal(sa), rng.standard_normal(sb)],
                                    None, [False, True, True]))
    for shape, narrows in [((8, 8), [(0, 2, 4), (1, 0, 8), (-1, -3, 2)]), ((7, 5), [(0, 1, 5), (1, 4, 1)]),
                           ((1, 9), [(1, 3, 5), (0, 0, 1)]), ((13,), [(0, 6, 7)]),
                           ((2, 3, 4), [(1, 1, 2), (2, 1, 2), (0, 1, 1)])]:
        x = rng.standard_normal(shape)
        for dim, start, length in narrows:
            cases.append(tensor_op_case(rng, "narrow", [x], {"dim": dim, "start": start, "length": length}))
    for shape, slices in [((6, 5), [(0, 1, -1), (1, -3, 100), (-1, 0, 2)]), ((2, 3, 4), [(2, 1, 3), (1, -2, -1)])]:
        x = rng.standard_normal(shape)
        for dim, start, end in slices:
            cases.append(tensor_op_case(rng, "slice", [x], {"dim": dim, "start": start, "end": end}))
    for shape, pads in [((3, 5), [(1, 2), (1, 1, 2, 0), (0, 0, 3, 3), (-1, 1), (-1, -2, 1, -1)]),
                        ((4,), [(2, 3), (-1, 0)]), ((1, 9), [(1, 1, 1, 1)]), ((8, 8), [(2, 2, 2, 2)]),
                        ((2, 3, 2), [(1, 0, 0, 1, 1, 1), (0, 0, 0, 0, 0, 1)])]:
        x = rng.standard_normal(shape)
        for pad in pads:
            for value in [0.0, 1.5]:
                cases.append(tensor_op_case(rng, "pad", [x], {"pad": list(pad), "value": value}))
    reductions = [((2, 4), [0, 1, -1, [0, 1]]), ((3, 5), [0, 1]), ((7, 2), [0, 1]), ((1, 9), [0, 1]),
                  ((5, 1), [0, 1]), ((13,), [0]), ((3, 37), [1, 0]), ((40, 5), [0, 1]), ((300, 2), [0]),
                  ((16, 16), [0, 1]), ((4, 5, 6), [0, 1, 2, [0, 2], [1, 2], [0, 1], [-1, 0]]), ((), [0])]
    for shape, dims_list in reductions:
        x = rng.standard_normal(shape)
        for dims in dims_list:
            for keepdim in [False, True]:
                for op in ["sum_dim", "mean_dim"]:
                    d = dims if isinstance(dims, list) else [dims]
                    cases.append(tensor_op_case(rng, op, [x], {"dims": d, "keepdim": keepdim}))
    return cases


def main():
    torch.set_default_dtype(torch.float64)
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "ops.json"), "w") as f:
        json.dump({"generator": "torch " + torch.__version__, "cases": ops(np.random.default_rng(7))}, f)
        f.write("\n")
    with open(os.path.join(OUT, "tensor_ops.json"), "w") as f:
        json.dump({"generator": "torch " + torch.__version__, "cases": tensor_ops(np.random.default_rng(15))}, f)
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
