#!/usr/bin/python3
"""PyTorch's numbers for the residual-tanh example layer: the same layer as a torch.nn.Module,
trained online with torch.optim, so that the Java layer trained by streamgrad's trainer can be
compared with it (ResidualTanhParityTest, to 1e-9).

Run with Debian's interpreter (torch 1.13), from examples/residual-tanh:
    /usr/bin/python3 src/test/python/gen_residual_tanh_fixtures.py
Writes src/test/resources/residual_tanh_parity.json.

The layer: scale * tanh(correlate2d(x, weight, 'valid') + bias) + skip * x cropped to the output
(rows kh // 2 .. kh // 2 + H', columns kw // 2 .. kw // 2 + W'); parameters weight [kh, kw],
bias [1, 1], scale [1], skip [1], named as in the Java layer's state dict. Targets come from a
hidden layer of the same kind plus noise. Each case lists the initial parameters, the optimizer,
batchSize, the records, and every parameter after every update (the last, partial mini-batch is
applied at end of input).
"""
import json
import os

import numpy as np
import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "residual_tanh_parity.json")


class ResidualTanh(torch.nn.Module):
    def __init__(self, weight, bias, scale, skip):
        super().__init__()
        self.weight = torch.nn.Parameter(weight.clone())
        self.bias = torch.nn.Parameter(bias.clone())
        self.scale = torch.nn.Parameter(scale.clone())
        self.skip = torch.nn.Parameter(skip.clone())

    def forward(self, x):
        kh, kw = self.weight.shape
        conv = F.conv2d(x[..., None, :, :], self.weight[None, None]).squeeze(-3) + self.bias.reshape(())
        h, w = conv.shape[-2:]
        crop = x[..., kh // 2:kh // 2 + h, kw // 2:kw // 2 + w]
        return self.scale * torch.tanh(conv) + self.skip * crop


def tolist(t):
    return t.detach().numpy().astype(np.float64).tolist()


def run_case(rng, name, opt, kernel, shape, n, batch_size):
    def params():
        return (torch.tensor(rng.standard_normal(kernel)), torch.tensor(rng.standard_normal((1, 1))),
                torch.tensor(rng.standard_normal(1)), torch.tensor(rng.standard_normal(1)))
    hidden = ResidualTanh(*params())
    init = params()
    model = ResidualTanh(*init)
    records = []
    with torch.no_grad():
        for _ in range(n):
            x = torch.tensor(rng.standard_normal(shape))
            y = hidden(x)
            records.append((x, y + 0.01 * torch.tensor(rng.standard_normal(tuple(y.shape)))))
    if opt["type"] == "sgd":
        optimizer = torch.optim.SGD(model.parameters(), lr=opt["lr"], momentum=opt["momentum"])
    else:
        optimizer = torch.optim.Adam(model.parameters(), lr=opt["lr"])
    updates = []
    for i in range(0, n, batch_size):
        batch = records[i:i + batch_size]
        optimizer.zero_grad()
        loss = F.mse_loss(model(torch.stack([x for x, _ in batch])), torch.stack([y for _, y in batch]))
        loss.backward()
        optimizer.step()
        updates.append({k: tolist(v) for k, v in model.state_dict().items()})
    return {"name": name, "optimizer": opt, "batchSize": batch_size,
            "init": {"weight": tolist(init[0]), "bias": float(init[1].item()), "scale": float(init[2].item()),
                     "skip": float(init[3].item())},
            "stateDictNames": list(model.state_dict().keys()),
            "records": [{"input": tolist(x), "target": tolist(y)} for x, y in records], "updates": updates}


def main():
    rng = np.random.default_rng(20261206)
    cases = [
        run_case(rng, "sgd-momentum", {"type": "sgd", "lr": 0.01, "momentum": 0.9}, (3, 3), (9, 8), 30, 1),
        run_case(rng, "adam-minibatch", {"type": "adam", "lr": 0.02, "momentum": 0.0}, (2, 3), (7, 11), 26, 4),
        run_case(rng, "sgd-1xn-kernel", {"type": "sgd", "lr": 0.02, "momentum": 0.0}, (1, 4), (5, 13), 20, 1),
    ]
    with open(OUT, "w") as f:
        json.dump({"torch": torch.__version__, "cases": cases}, f)


if __name__ == "__main__":
    main()
