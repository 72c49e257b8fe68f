#!/usr/bin/python3
"""Generates the trainer parity fixtures: what PyTorch computes when it trains the tutorial's
conv2d filter online, record by record (or in mini-batches), with torch.optim.

Run with Debian's interpreter (torch 1.13):
    /usr/bin/python3 src/test/python/gen_trainer_fixtures.py
Writes src/test/resources/fixtures/trainer/parity.json. (The committed file keeps the first seven
cases as generated on 2026-11-29 and appends the clipping cases of 2026-12-06: regenerated on another
machine, torch's kernels can change their last bits, well inside the tests' 1e-9.) Cases already in
the committed file are kept exactly as committed; only cases it lacks are added, at the end (the
learning-rate schedule and evaluation cases of 2026-12-06, made by run_stream_case).

Each case: an initial filter and bias, the optimizer settings, batchSize and snapshotEvery, the
gradient clipping (torch.nn.utils.clip_grad_norm_ between backward and step, or none), the
labeled records (input, target) in order, and the snapshots the trainer must emit, each with the
version (updates applied), filter, bias, loss (mean of the per-record mse losses since the
previous snapshot) and records trained on. The loop is F.conv2d + F.mse_loss + optimizer.step on
float64 tensors; a mini-batch stacks its records ([B, 1, H, W]) and takes one mse_loss over the
batch; the last, partial mini-batch is applied at end of input (a DataLoader without drop_last),
followed by a final snapshot when records arrived since the previous one.
"""
import json
import os

import numpy as np
import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "fixtures", "trainer")


def tolist(t):
    return np.asarray(t.detach().numpy() if torch.is_tensor(t) else t, dtype=np.float64).tolist()


def make_optimizer(spec, params):
    if spec["type"] == "sgd":
        return torch.optim.SGD(params, lr=spec["lr"], momentum=spec["momentum"], dampening=spec["dampening"],
                               weight_decay=spec["weightDecay"], nesterov=spec["nesterov"])
    return torch.optim.Adam(params, lr=spec["lr"], betas=tuple(spec["betas"]), eps=spec["eps"],
                            weight_decay=spec["weightDecay"], amsgrad=spec["amsgrad"])


def sgd(lr, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False):
    return {"type": "sgd", "lr": lr, "momentum": momentum, "dampening": dampening, "weightDecay": weight_decay,
            "nesterov": nesterov, "betas": [0.9, 0.999], "eps": 1e-8, "amsgrad": False}


def adam(lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False):
    return {"type": "adam", "lr": lr, "momentum": 0.0, "dampening": 0.0, "weightDecay": weight_decay,
            "nesterov": False, "betas": list(betas), "eps": eps, "amsgrad": amsgrad}


def run_case(rng, name, opt_spec, kernel, shape, n, batch_size, snapshot_every, clip=None):
    true_filter = rng.standard_normal(kernel)
    true_bias = 0.5
    init_filter = torch.tensor(rng.standard_normal(kernel), dtype=torch.float64)
    init_bias = torch.tensor(rng.standard_normal((1, 1)), dtype=torch.float64)
    records = []
    for _ in range(n):
        x = torch.tensor(rng.standard_normal(shape), dtype=torch.float64)
        y = F.conv2d(x[None, None], torch.tensor(true_filter)[None, None]).squeeze() + true_bias
        y = y.reshape(shape[0] - kernel[0] + 1, shape[1] - kernel[1] + 1)
        y = y + 0.05 * torch.tensor(rng.standard_normal(tuple(y.shape)), dtype=torch.float64)
        records.append((x, y))

    w = init_filter.clone().requires_grad_(True)
    b = init_bias.clone().requires_grad_(True)
    opt = make_optimizer(opt_spec, [w, b])
    snapshots = []
    version, trained, since = 0, 0, []

    def snapshot():
        snapshots.append({"version": version, "filter": tolist(w), "bias": float(b.item()),
                          "loss": float(np.mean(since)) if since else float("nan"), "records": trained})
        since.clear()

    batches = [records[i:i + batch_size] for i in range(0, n, batch_size)]
    for batch in batches:
        xs = torch.stack([x for x, _ in batch])[:, None]
        ys = torch.stack([y for _, y in batch])[:, None]
        opt.zero_grad()
        out = F.conv2d(xs, w[None, None], b.reshape(1))
        loss = F.mse_loss(out, ys)
        loss.backward()
        if clip is not None:
            torch.nn.utils.clip_grad_norm_([w, b], clip[0], clip[1])
        with torch.no_grad():
            for k in range(len(batch)):
                since.append(float(F.mse_loss(out[k], ys[k]).item()))
        opt.step()
        version += 1
        trained += len(batch)
        if version % snapshot_every == 0:
            snapshot()
    if since:
        snapshot()
    return {
        "name": name, "optimizer": opt_spec, "batchSize": batch_size, "snapshotEvery": snapshot_every,
        "clipGradNorm": None if clip is None else {"maxNorm": clip[0],
                                                   "normType": "inf" if np.isinf(clip[1]) else clip[1]},
        "initFilter": tolist(init_filter), "initBias": float(init_bias.item()),
        "records": [{"input": tolist(x), "target": tolist(y)} for x, y in records],
        "snapshots": snapshots,
    }


def make_scheduler(spec, opt):
    lrs = torch.optim.lr_scheduler
    t = spec["type"]
    if t == "step":
        return lrs.StepLR(opt, step_size=spec["stepSize"], gamma=spec["gamma"])
    if t == "multistep":
        return lrs.MultiStepLR(opt, milestones=spec["milestones"], gamma=spec["gamma"])
    if t == "exponential":
        return lrs.ExponentialLR(opt, gamma=spec["gamma"])
    if t == "cosine":
        return lrs.CosineAnnealingLR(opt, T_max=spec["tMax"], eta_min=spec["etaMin"])
    return lrs.LinearLR(opt, start_factor=spec["startFactor"], end_factor=spec["endFactor"],
                        total_iters=spec["totalIters"])


def run_stream_case(rng, name, opt_spec, kernel, shape, n, batch_size, snapshot_every, schedule=None,
                    window=1000, holdout_every=0):
    """The loop of run_case written record by record, as the trainer meets the stream, with a
    torch.optim.lr_scheduler stepped after every optimizer.step() (None: constant rate) and the
    evaluation: each trained record's loss under the parameters before its update (with mini-batches
    the parameters before its batch's update) is its prequential loss, every holdout_every-th record
    (counted over all records) is only evaluated (no_grad, never trained on). Each snapshot adds the
    mean of the last `window` prequential losses, the mean of the last max(1, window // holdout_every)
    holdout losses (those among about the last `window` records), how
    many each mean is over (a mean over nothing is null), the records held out so far and the lr
    after the last update."""
    true_filter = rng.standard_normal(kernel)
    true_bias = 0.5
    init_filter = torch.tensor(rng.standard_normal(kernel), dtype=torch.float64)
    init_bias = torch.tensor(rng.standard_normal((1, 1)), dtype=torch.float64)
    records = []
    for _ in range(n):
        x = torch.tensor(rng.standard_normal(shape), dtype=torch.float64)
        y = F.conv2d(x[None, None], torch.tensor(true_filter)[None, None]).squeeze() + true_bias
        y = y.reshape(shape[0] - kernel[0] + 1, shape[1] - kernel[1] + 1)
        y = y + 0.05 * torch.tensor(rng.standard_normal(tuple(y.shape)), dtype=torch.float64)
        records.append((x, y))

    w = init_filter.clone().requires_grad_(True)
    b = init_bias.clone().requires_grad_(True)
    opt = make_optimizer(opt_spec, [w, b])
    sched = make_scheduler(schedule, opt) if schedule else None
    snapshots = []
    state = {"version": 0, "trained": 0}
    since, preq, hold, pending = [], [], [], []
    hold_window = max(1, window // holdout_every) if holdout_every else window

    def mean(v):
        # null when there is nothing to average (the trainer reports NaN; JSON has no NaN)
        return float(np.mean(v)) if v else None

    def snapshot():
        snapshots.append({"version": state["version"], "filter": tolist(w), "bias": float(b.item()),
                          "loss": mean(since), "records": state["trained"],
                          "prequentialLoss": mean(preq[-window:]), "prequentialRecords": len(preq[-window:]),
                          "holdoutLoss": mean(hold[-hold_window:]), "holdoutRecords": len(hold[-hold_window:]),
                          "heldOut": len(hold), "lr": opt.param_groups[0]["lr"]})
        since.clear()

    def record_loss(x, y):
        with torch.no_grad():
            return float(F.mse_loss(F.conv2d(x[None, None], w[None, None], b.reshape(1))[0, 0], y).item())

    def apply(batch):
        xs = torch.stack([x for x, _ in batch])[:, None]
        ys = torch.stack([y for _, y in batch])[:, None]
        opt.zero_grad()
        F.mse_loss(F.conv2d(xs, w[None, None], b.reshape(1)), ys).backward()
        opt.step()
        if sched is not None:
            sched.step()
        state["version"] += 1

    for i, (x, y) in enumerate(records):
        if holdout_every and (i + 1) % holdout_every == 0:
            hold.append(record_loss(x, y))
            continue
        loss = record_loss(x, y)
        preq.append(loss)
        since.append(loss)
        pending.append((x, y))
        state["trained"] += 1
        if len(pending) == batch_size:
            apply(pending)
            pending.clear()
            if state["version"] % snapshot_every == 0:
                snapshot()
    if pending:
        apply(pending)
    if since:
        snapshot()
    return {
        "name": name, "optimizer": opt_spec, "batchSize": batch_size, "snapshotEvery": snapshot_every,
        "clipGradNorm": None, "lrSchedule": schedule,
        "evaluation": {"window": window, "holdoutEvery": holdout_every},
        "initFilter": tolist(init_filter), "initBias": float(init_bias.item()),
        "records": [{"input": tolist(x), "target": tolist(y)} for x, y in records],
        "snapshots": snapshots,
    }


def main():
    rng = np.random.default_rng(20261129)
    cases = [
        run_case(rng, "sgd", sgd(0.01), (3, 3), (12, 10), 40, 1, 10),
        run_case(rng, "sgd-momentum-dampening-weight-decay", sgd(0.01, 0.9, 0.1, 0.01), (2, 4), (9, 11), 40, 1, 7),
        run_case(rng, "sgd-nesterov", sgd(0.005, 0.8, 0.0, 0.001, True), (3, 2), (8, 8), 30, 1, 8),
        run_case(rng, "adam", adam(0.05), (3, 3), (10, 10), 40, 1, 10),
        run_case(rng, "adam-amsgrad-weight-decay", adam(0.02, (0.8, 0.99), 1e-6, 0.02, True), (1, 5), (7, 13),
                 40, 1, 9),
        run_case(rng, "sgd-momentum-minibatch", sgd(0.02, 0.9), (3, 3), (11, 9), 46, 4, 3),
        run_case(rng, "adam-minibatch", adam(0.03, amsgrad=True), (2, 2), (6, 7), 23, 5, 2),
        # torch.nn.utils.clip_grad_norm_ between backward and step: small enough to clip most steps
        run_case(rng, "sgd-clip-grad-norm", sgd(0.05), (3, 3), (10, 9), 40, 1, 5, clip=(0.5, 2.0)),
        run_case(rng, "adam-minibatch-clip-inf-norm", adam(0.05), (2, 3), (8, 8), 30, 4, 2,
                 clip=(0.3, float("inf"))),
        run_case(rng, "sgd-momentum-clip-1-norm", sgd(0.02, 0.9), (3, 2), (9, 7), 30, 1, 6, clip=(1.0, 1.0)),
        # learning-rate schedules (one scheduler.step() per optimizer.step()) and the evaluation
        run_stream_case(rng, "sgd-steplr", sgd(0.05), (3, 3), (10, 10), 40, 1, 5,
                        schedule={"type": "step", "stepSize": 6, "gamma": 0.5}, window=7),
        run_stream_case(rng, "adam-cosine-past-tmax", adam(0.05), (3, 3), (9, 10), 40, 1, 4,
                        schedule={"type": "cosine", "tMax": 12, "etaMin": 0.001}),
        run_stream_case(rng, "sgd-momentum-minibatch-multistep", sgd(0.02, 0.9), (2, 3), (8, 9), 31, 3, 2,
                        schedule={"type": "multistep", "milestones": [2, 5, 5], "gamma": 0.5}, window=10),
        run_stream_case(rng, "adam-exponential-holdout", adam(0.03), (3, 3), (10, 9), 40, 1, 5,
                        schedule={"type": "exponential", "gamma": 0.9}, window=8, holdout_every=4),
        run_stream_case(rng, "sgd-linear-minibatch-holdout", sgd(0.03), (2, 2), (7, 7), 29, 2, 3,
                        schedule={"type": "linear", "startFactor": 0.25, "endFactor": 1.0, "totalIters": 4},
                        window=5, holdout_every=3),
        run_stream_case(rng, "sgd-holdout-no-schedule", sgd(0.02), (3, 3), (9, 9), 30, 1, 6, window=4,
                        holdout_every=5),
    ]
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, "parity.json")
    if os.path.exists(path):
        # keep the committed cases exactly as they are; add only the ones the file lacks
        with open(path) as f:
            committed = json.load(f)
        known = {c["name"] for c in committed["cases"]}
        cases = committed["cases"] + [c for c in cases if c["name"] not in known]
        version = committed["torch"]
    else:
        version = torch.__version__
    with open(path, "w") as f:
        json.dump({"torch": version, "cases": cases}, f)


if __name__ == "__main__":
    main()
