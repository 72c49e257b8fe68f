#!/usr/bin/python3
"""Generates the chain parity fixtures: PyTorch training the chain fft-magnitude then conv2d
(layer: {type: sequential, layers: [{type: fft-magnitude}, {type: conv2d}]}) online with torch.optim.

Run with Debian's interpreter (torch 1.13):
    /usr/bin/python3 src/test/python/gen_chain_fixtures.py
Writes src/test/resources/fixtures/chain/parity.json.

The chain is torch.nn.Sequential(FftMagnitude(), Conv2d()) with FftMagnitude = |torch.fft.rfft2(x)|
(the tutorial's FFT layer with its correct gradient) and Conv2d = the tutorial's ScipyConv2d with
parameters filter [kh, kw] and bias [1, 1], so the state dict names are 1.filter and 1.bias. Each
case: the optimizer, batchSize, the initial parameters, the labeled records in order (input
[H, W], target [H - kh + 1, W // 2 + 1 - kw + 1], made by a hidden chain plus noise) and the
parameters after every optimizer update (the last, partial mini-batch applied at end of input).
"""
import json
import os

import numpy as np
import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "fixtures", "chain")


class FftMagnitude(torch.nn.Module):
    def forward(self, x):
        return torch.abs(torch.fft.rfft2(x))


class Conv2d(torch.nn.Module):
    def __init__(self, filt, bias):
        super().__init__()
        self.filter = torch.nn.Parameter(filt.clone())
        self.bias = torch.nn.Parameter(bias.clone())

    def forward(self, x):
        return F.conv2d(x[..., None, :, :], self.filter[None, None]).squeeze(-3) + self.bias.reshape(())


def tolist(t):
    return t.detach().numpy().astype(np.float64).tolist()


def optimizer(spec, params):
    if spec["type"] == "sgd":
        return torch.optim.SGD(params, lr=spec["lr"], momentum=spec["momentum"])
    return torch.optim.Adam(params, lr=spec["lr"], amsgrad=spec["amsgrad"])


def run_case(rng, name, opt_spec, kernel, shape, n, batch_size):
    hidden = torch.nn.Sequential(FftMagnitude(), Conv2d(torch.tensor(rng.standard_normal(kernel)) * 0.1,
                                                        torch.tensor([[0.25]])))
    init_filter = torch.tensor(rng.standard_normal(kernel)) * 0.1
    init_bias = torch.tensor(rng.standard_normal((1, 1)))
    model = torch.nn.Sequential(FftMagnitude(), Conv2d(init_filter, init_bias))
    records = []
    with torch.no_grad():
        for _ in range(n):
            x = torch.tensor(rng.standard_normal(shape))
            y = hidden(x)
            y = y + 0.01 * torch.tensor(rng.standard_normal(tuple(y.shape)))
            records.append((x, y))
    opt = optimizer(opt_spec, model.parameters())
    updates = []
    for i in range(0, n, batch_size):
        batch = records[i:i + batch_size]
        xs = torch.stack([x for x, _ in batch])
        ys = torch.stack([y for _, y in batch])
        opt.zero_grad()
        loss = F.mse_loss(model(xs), ys)
        loss.backward()
        opt.step()
        updates.append({name: tolist(p) for name, p in model.state_dict().items()})
    return {"name": name, "optimizer": opt_spec, "batchSize": batch_size,
            "initFilter": tolist(init_filter), "initBias": float(init_bias.item()),
            "records": [{"input": tolist(x), "target": tolist(y)} for x, y in records],
            "stateDictNames": list(model.state_dict().keys()), "updates": updates}


def main():
    rng = np.random.default_rng(20261206)
    cases = [
        run_case(rng, "chain-sgd-momentum", {"type": "sgd", "lr": 0.002, "momentum": 0.9, "amsgrad": False},
                 (3, 3), (8, 10), 30, 1),
        run_case(rng, "chain-adam-minibatch", {"type": "adam", "lr": 0.01, "momentum": 0.0, "amsgrad": True},
                 (2, 3), (9, 7), 25, 4),
        run_case(rng, "chain-odd-prime", {"type": "sgd", "lr": 0.001, "momentum": 0.0, "amsgrad": False},
                 (3, 2), (7, 13), 20, 1),
    ]
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "parity.json"), "w") as f:
        json.dump({"torch": torch.__version__, "cases": cases}, f)


if __name__ == "__main__":
    main()
