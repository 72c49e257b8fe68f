#!/usr/bin/python3
"""Generates the optimizer trajectory fixtures that the Java tests compare against.

Run with Debian's interpreter (torch 1.13):
    /usr/bin/python3 src/test/python/gen_optim_fixtures.py
Writes src/test/resources/fixtures/optim/{sgd,adam,conv2d}.json.

Each case starts from given parameter values and runs `steps` iterations of
    optimizer.zero_grad(); loss = f(params); loss.backward(); optimizer.step()
with torch.optim.SGD or torch.optim.Adam, recording the loss before each step and every
parameter after it. The Java test builds the same loss from streamgrad's ops and must follow the
same trajectory.

sgd.json / adam.json: parameters w [3, 4] and b [1, 1], fixed data x, y [3, 4],
    loss = mse_loss(w * x + b, y) + l2 * sum(w ** 2)          (sign flipped when maximize)
conv2d.json: the tutorial's ScipyConv2d as torch.nn.functional.conv2d (a cross-correlation,
    which is correlate2d 'valid') plus a [1, 1] bias, loss = mse_loss(conv(x) + b, y).
"""
import json
import os

import numpy as np
import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "fixtures", "optim")
STEPS = 150

SGD_CONFIGS = [
    {"lr": 0.1},
    {"lr": 0.05, "momentum": 0.9},
    {"lr": 0.05, "momentum": 0.9, "dampening": 0.5, "weight_decay": 0.01},
    {"lr": 0.03, "momentum": 0.8, "nesterov": True, "weight_decay": 0.001},
    {"lr": 0.2, "weight_decay": 0.1},
    {"lr": 0.04, "momentum": 0.5, "dampening": 0.1, "maximize": True},
]

ADAM_CONFIGS = [
    {"lr": 0.01},
    {"lr": 0.05, "betas": [0.8, 0.99], "eps": 1e-6},
    {"lr": 0.01, "weight_decay": 0.1},
    {"lr": 0.02, "amsgrad": True},
    {"lr": 0.03, "betas": [0.5, 0.9], "eps": 1e-4, "weight_decay": 0.05, "amsgrad": True},
    {"lr": 0.01, "maximize": True},
]


def tolist(t):
    return t.detach().numpy().astype(np.float64).tolist()


def make_optimizer(kind, params, cfg):
    kwargs = dict(cfg)
    if kind == "sgd":
        return torch.optim.SGD(params, **kwargs)
    if "betas" in kwargs:
        kwargs["betas"] = tuple(kwargs["betas"])
    return torch.optim.Adam(params, **kwargs)


def run(kind, cfg, params, loss_fn):
    opt = make_optimizer(kind, list(params.values()), cfg)
    sign = -1.0 if cfg.get("maximize", False) else 1.0
    losses = []
    trajectory = {name: [] for name in params}
    for _ in range(STEPS):
        opt.zero_grad()
        loss = loss_fn() * sign
        losses.append(loss.item())
        loss.backward()
        opt.step()
        for name, p in params.items():
            trajectory[name].append(tolist(p))
    return losses, trajectory


def quadratic_cases(kind, configs, rng):
    cases = []
    for cfg in configs:
        x = torch.tensor(rng.standard_normal((3, 4)))
        y = torch.tensor(rng.standard_normal((3, 4)))
        w0 = rng.standard_normal((3, 4))
        b0 = rng.standard_normal((1, 1))
        w = torch.tensor(w0, requires_grad=True)
        b = torch.tensor(b0, requires_grad=True)
        l2 = 0.01

        def loss_fn():
            return F.mse_loss(w * x + b, y) + (w ** 2).sum() * l2

        losses, trajectory = run(kind, cfg, {"w": w, "b": b}, loss_fn)
        cases.append({"config": cfg, "l2": l2, "x": tolist(x), "y": tolist(y),
                      "init": {"w": w0.tolist(), "b": b0.tolist()},
                      "loss": losses, "trajectory": trajectory})
    return cases


def conv2d_cases(rng):
    cases = []
    for kind, cfg, (h, w, kh, kw) in [
            ("sgd", {"lr": 0.01, "momentum": 0.9}, (10, 12, 3, 3)),
            ("adam", {"lr": 0.01}, (9, 7, 2, 4)),
            ("adam", {"lr": 0.02, "amsgrad": True, "weight_decay": 0.01}, (8, 8, 5, 5))]:
        x = torch.tensor(rng.standard_normal((h, w)))
        y = torch.tensor(rng.standard_normal((h - kh + 1, w - kw + 1)))
        k0 = rng.standard_normal((kh, kw))
        b0 = rng.standard_normal((1, 1))
        k = torch.tensor(k0, requires_grad=True)
        b = torch.tensor(b0, requires_grad=True)

        def loss_fn():
            out = F.conv2d(x[None, None], k[None, None]).squeeze(0).squeeze(0) + b
            return F.mse_loss(out, y)

        losses, trajectory = run(kind, cfg, {"filter": k, "bias": b}, loss_fn)
        cases.append({"optimizer": kind, "config": cfg, "x": tolist(x), "y": tolist(y),
                      "init": {"filter": k0.tolist(), "bias": b0.tolist()},
                      "loss": losses, "trajectory": trajectory})
    return cases


def write(name, cases):
    with open(os.path.join(OUT, name), "w") as f:
        json.dump({"generator": "torch " + torch.__version__, "steps": STEPS, "cases": cases}, f)
        f.write("\n")


def main():
    torch.set_default_dtype(torch.float64)
    rng = np.random.default_rng(20261129)
    os.makedirs(OUT, exist_ok=True)
    write("sgd.json", quadratic_cases("sgd", SGD_CONFIGS, rng))
    write("adam.json", quadratic_cases("adam", ADAM_CONFIGS, rng))
    write("conv2d.json", conv2d_cases(rng))


if __name__ == "__main__":
    main()
