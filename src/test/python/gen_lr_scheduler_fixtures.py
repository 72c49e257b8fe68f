#!/usr/bin/python3
"""Generates the learning-rate scheduler fixtures that the Java tests compare against.

Run with Debian's interpreter (torch 1.13):
    /usr/bin/python3 src/test/python/gen_lr_scheduler_fixtures.py
Writes src/test/resources/fixtures/lr/schedulers.json and lr/training.json.

schedulers.json: for each scheduler configuration, a torch.optim.SGD over one parameter with the
    given lr, the scheduler built on it (which performs torch's initial step), then `epochs` calls of
    optimizer.step(); scheduler.step(). "lrs" holds get_last_lr()[0] after construction followed by
    the value after each scheduler.step(): the chainable (recursive) get_lr, not the closed form.
    Also the full state_dict of the scheduler after the run (last_epoch, _step_count, base_lrs,
    _last_lr) so the Java state can be checked field by field.
training.json: the tutorial's ScipyConv2d (F.conv2d cross-correlation plus a [1, 1] bias) trained
    with SGD or Adam while a scheduler changes the lr after every optimizer step; per step the loss
    before it, the lr it used and every parameter after it.
"""
import json
import os

import numpy as np
import torch
import torch.nn.functional as F
from torch.optim import lr_scheduler

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "fixtures", "lr")

# (name, torch class, kwargs, base lr, epochs): epochs reach past every milestone and past 2 * T_max,
# so each branch of each get_lr runs (StepLR's decay and hold, CosineAnnealingLR's
# (last_epoch - 1 - T_max) % (2 T_max) == 0 restart branch, LinearLR after total_iters).
CONFIGS = [
    ("StepLR", {"step_size": 3}, 0.1, 40),
    ("StepLR", {"step_size": 7, "gamma": 0.5}, 0.05, 60),
    ("StepLR", {"step_size": 1, "gamma": 0.9}, 1.0, 50),
    ("ExponentialLR", {"gamma": 0.95}, 0.1, 120),
    ("ExponentialLR", {"gamma": 0.999}, 0.01, 300),
    ("ExponentialLR", {"gamma": 1.01}, 0.003, 50),
    ("CosineAnnealingLR", {"T_max": 10}, 0.1, 65),
    ("CosineAnnealingLR", {"T_max": 7, "eta_min": 0.001}, 0.05, 60),
    ("CosineAnnealingLR", {"T_max": 1, "eta_min": 0.01}, 0.2, 12),
    ("CosineAnnealingLR", {"T_max": 50, "eta_min": 1e-5}, 0.3, 230),
    ("MultiStepLR", {"milestones": [5, 12, 30]}, 0.1, 40),
    ("MultiStepLR", {"milestones": [3, 3, 8], "gamma": 0.5}, 0.2, 20),
    ("LinearLR", {}, 0.05, 12),
    ("LinearLR", {"start_factor": 0.25, "end_factor": 1.0, "total_iters": 8}, 0.1, 20),
    ("LinearLR", {"start_factor": 1.0, "end_factor": 0.1, "total_iters": 10}, 0.02, 20),
]

TRAINING = [
    ("sgd", {"lr": 0.05, "momentum": 0.9}, "StepLR", {"step_size": 10, "gamma": 0.5}, (9, 10, 3, 3)),
    ("sgd", {"lr": 0.02}, "CosineAnnealingLR", {"T_max": 40, "eta_min": 0.001}, (8, 8, 3, 3)),
    ("sgd", {"lr": 0.03, "momentum": 0.5, "nesterov": True}, "ExponentialLR", {"gamma": 0.97}, (7, 9, 2, 3)),
    ("adam", {"lr": 0.05}, "CosineAnnealingLR", {"T_max": 30}, (10, 10, 3, 3)),
    ("adam", {"lr": 0.02, "amsgrad": True}, "ExponentialLR", {"gamma": 0.98}, (8, 11, 4, 2)),
    ("adam", {"lr": 0.01, "weight_decay": 0.01}, "MultiStepLR", {"milestones": [20, 50], "gamma": 0.3}, (9, 9, 3, 3)),
    ("sgd", {"lr": 0.04}, "LinearLR", {"start_factor": 0.2, "total_iters": 25}, (8, 8, 3, 3)),
]
TRAINING_STEPS = 100


def scheduler_state(s):
    st = s.state_dict()
    return {"last_epoch": st["last_epoch"], "_step_count": st["_step_count"],
            "base_lrs": st["base_lrs"], "_last_lr": st["_last_lr"]}


def schedule_cases():
    cases = []
    for name, kwargs, lr, epochs in CONFIGS:
        p = torch.zeros(2, requires_grad=True)
        opt = torch.optim.SGD([p], lr=lr)
        sched = getattr(lr_scheduler, name)(opt, **kwargs)
        lrs = [sched.get_last_lr()[0]]
        for _ in range(epochs):
            p.grad = torch.ones(2)
            opt.step()
            sched.step()
            lrs.append(sched.get_last_lr()[0])
            assert opt.param_groups[0]["lr"] == lrs[-1]
        cases.append({"scheduler": name, "kwargs": kwargs, "lr": lr, "epochs": epochs, "lrs": lrs,
                      "state": scheduler_state(sched)})
    return cases


def tolist(t):
    return t.detach().numpy().astype(np.float64).tolist()


def training_cases(rng):
    cases = []
    for kind, cfg, sched_name, sched_kwargs, (h, w, kh, kw) in TRAINING:
        x = torch.tensor(rng.standard_normal((h, w)))
        y = torch.tensor(rng.standard_normal((h - kh + 1, w - kw + 1)))
        k0 = rng.standard_normal((kh, kw))
        b0 = rng.standard_normal((1, 1))
        k = torch.tensor(k0, requires_grad=True)
        b = torch.tensor(b0, requires_grad=True)
        opt = (torch.optim.SGD if kind == "sgd" else torch.optim.Adam)([k, b], **cfg)
        sched = getattr(lr_scheduler, sched_name)(opt, **sched_kwargs)
        losses, lrs, traj = [], [], {"filter": [], "bias": []}
        for _ in range(TRAINING_STEPS):
            opt.zero_grad()
            out = F.conv2d(x[None, None], k[None, None]).squeeze(0).squeeze(0) + b
            loss = F.mse_loss(out, y)
            losses.append(loss.item())
            loss.backward()
            lrs.append(opt.param_groups[0]["lr"])
            opt.step()
            sched.step()
            traj["filter"].append(tolist(k))
            traj["bias"].append(tolist(b))
        cases.append({"optimizer": kind, "config": cfg, "scheduler": sched_name, "kwargs": sched_kwargs,
                      "x": tolist(x), "y": tolist(y), "init": {"filter": k0.tolist(), "bias": b0.tolist()},
                      "loss": losses, "lr": lrs, "trajectory": traj})
    return cases


def write(name, cases):
    with open(os.path.join(OUT, name), "w") as f:
        json.dump({"generator": "torch " + torch.__version__, "cases": cases}, f)
        f.write("\n")


def main():
    torch.set_default_dtype(torch.float64)
    os.makedirs(OUT, exist_ok=True)
    write("schedulers.json", schedule_cases())
    write("training.json", training_cases(np.random.default_rng(20261206)))


if __name__ == "__main__":
    main()
