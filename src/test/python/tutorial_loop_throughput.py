#!/usr/bin/env python3
"""Reference throughput: the PyTorch tutorial "Creating extensions using numpy and scipy" trained
online, one labeled 28x28 record at a time, as a plain Python loop.

The layer is the tutorial's ScipyConv2dFunction / ScipyConv2d verbatim (scipy correlate2d forward,
convolve2d/correlate2d backward); each record does forward, F.mse_loss, backward and an SGD step,
like streamgrad's trainer with batchSize 1. Inputs and targets (a hidden 3x3 filter plus noise) are
made in memory before the clock starts, so only the training loop is timed.

Prints one line: `records_per_second <float>` (median of --repeats timed passes), which
`streamgrad bench` reads. Needs Debian's python3-numpy, python3-scipy, python3-torch.
"""
import argparse
import statistics
import time

import numpy as np
import torch
import torch.nn.functional as F
from numpy import flip  # noqa: F401  (imported by the tutorial)
from scipy.signal import convolve2d, correlate2d
from torch.autograd import Function
from torch.nn.modules.module import Module
from torch.nn.parameter import Parameter


class ScipyConv2dFunction(Function):
    @staticmethod
    def forward(ctx, input, filter, bias):
        # detach so we can cast to NumPy
        input, filter, bias = input.detach(), filter.detach(), bias.detach()
        result = correlate2d(input.numpy(), filter.numpy(), mode='valid')
        result += bias.numpy()
        ctx.save_for_backward(input, filter, bias)
        return torch.as_tensor(result, dtype=input.dtype)

    @staticmethod
    def backward(ctx, grad_output):
        grad_output = grad_output.detach()
        input, filter, bias = ctx.saved_tensors
        grad_output = grad_output.numpy()
        grad_bias = np.sum(grad_output, keepdims=True)
        grad_input = convolve2d(grad_output, filter.numpy(), mode='full')
        # the previous line can be expressed equivalently as:
        # grad_input = correlate2d(grad_output, flip(flip(filter.numpy(), axis=0), axis=1), mode='full')
        grad_filter = correlate2d(input.numpy(), grad_output, mode='valid')
        return torch.from_numpy(grad_input), torch.from_numpy(grad_filter).to(torch.float), torch.from_numpy(grad_bias).to(torch.float)


class ScipyConv2d(Module):
    def __init__(self, filter_width, filter_height):
        super(ScipyConv2d, self).__init__()
        self.filter = Parameter(torch.randn(filter_width, filter_height))
        self.bias = Parameter(torch.randn(1, 1))

    def forward(self, input):
        return ScipyConv2dFunction.apply(input, self.filter, self.bias)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--records', type=int, default=3000, help='records per timed pass')
    p.add_argument('--repeats', type=int, default=3, help='timed passes (median reported)')
    p.add_argument('--size', type=int, default=28)
    p.add_argument('--kernel', type=int, default=3)
    args = p.parse_args()

    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    true_filter = rng.standard_normal((args.kernel, args.kernel))
    inputs = [torch.randn(args.size, args.size) for _ in range(args.records)]
    targets = [torch.as_tensor(correlate2d(x.numpy(), true_filter, mode='valid') + 0.5
                               + 0.01 * rng.standard_normal((args.size - args.kernel + 1,) * 2),
                               dtype=torch.float32) for x in inputs]

    module = ScipyConv2d(args.kernel, args.kernel)
    optimizer = torch.optim.SGD(module.parameters(), lr=0.01)
    rates = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        for x, y in zip(inputs, targets):
            optimizer.zero_grad()
            loss = F.mse_loss(module(x), y)
            loss.backward()
            optimizer.step()
        rates.append(args.records / (time.perf_counter() - start))
    err = float(np.max(np.abs(module.filter.detach().numpy() - true_filter)))
    print(f'passes {" ".join(f"{r:.0f}" for r in rates)} max_abs_filter_error {err:.2e}')
    print(f'records_per_second {statistics.median(rates):.1f}')


if __name__ == '__main__':
    main()
