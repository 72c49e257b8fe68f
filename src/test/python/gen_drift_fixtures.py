#!/usr/bin/python3
"""Generates the drift-detector fixtures that the Java tests compare against.

Run with Debian's interpreter:
    /usr/bin/python3 src/test/python/gen_drift_fixtures.py
Writes src/test/resources/fixtures/drift/detectors.json.

River (online-ml/river) is not installable here, so this file carries a line-by-line transcription
of River's detectors, the same arithmetic in the same order (Python floats are the C doubles that
River's Cython uses; math.log/math.sqrt are the libm calls adwin_c.pyx makes):

- PageHinkley: river/drift/page_hinkley.py on River's main branch (the two-sided version with
  `mode` "up"/"down"/"both", running mean from river/stats/mean.py `Mean.update`), parameters
  min_instances=30, delta=0.005, threshold=50.0, alpha=1 - 0.0001, mode="both".
- ADWIN: river/drift/adwin.py and river/drift/adwin_c.pyx on River's main branch (parameters
  delta=0.002, clock=32, max_buckets=5, min_window_length=5, grace_period=10), including River
  PR #1613 (issue #1614): every bucket of a row is a cut point (`for k in range(bucket.current_idx)`;
  River <= 0.21 stopped one short, `range(bucket.current_idx - 1)`).

The transcription is checked against River's own published doctest outputs before anything is
written (PageHinkley: "Change detected at index 1006" on rng = random.Random(12345),
rng.choices([0, 1], k=1000) + rng.choices(range(4, 8), k=1000); ADWIN: "Change detected at index
1023, input value: 4" on the same stream).

Each case: a stream (values stored, so the Java test needs no random generator), a detector with
its parameters, the indices where drift_detected was True after update, and the detector's state
at the end of the stream.
"""
import json
import math
import os
import random

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "fixtures", "drift")


class Mean:
    """river/stats/mean.py Mean (unweighted updates)."""

    def __init__(self):
        self.n = 0
        self._mean = 0.0

    def update(self, x, w=1.0):
        self.n += w
        self._mean += (w / self.n) * (x - self._mean)

    def get(self):
        return self._mean


class PageHinkley:
    """river/drift/page_hinkley.py, transcribed."""

    _VALID_MODES = ["up", "down", "both"]

    def __init__(self, min_instances=30, delta=0.005, threshold=50.0, alpha=1 - 0.0001, mode="both"):
        self.min_instances = min_instances
        self.delta = delta
        self.threshold = threshold
        self.alpha = alpha
        if mode not in self._VALID_MODES:
            raise ValueError(f"Invalid 'mode'. Valid values are: {self._VALID_MODES}")
        self.mode = mode
        self._reset()

    def _reset(self):
        self.drift_detected = False
        self._x_mean = Mean()
        self._sum_increase = 0.0
        self._sum_decrease = 0.0
        self._min_increase = float("inf")
        self._max_decrease = -1

    def _test_drift(self, test_increase, test_decrease):
        if self.mode == "up":
            return test_increase > self.threshold
        if self.mode == "down":
            return test_decrease > self.threshold
        return test_increase > self.threshold or test_decrease > self.threshold

    def update(self, x):
        if self.drift_detected:
            self._reset()
        self._x_mean.update(x)
        dev = x - self._x_mean.get()
        self._sum_increase = self.alpha * self._sum_increase + dev - self.delta
        self._sum_decrease = self.alpha * self._sum_decrease + dev + self.delta
        if self._sum_increase < self._min_increase:
            self._min_increase = self._sum_increase
        if self._sum_decrease > self._max_decrease:
            self._max_decrease = self._sum_decrease
        if self._x_mean.n >= self.min_instances:
            test_increase = self._sum_increase - self._min_increase
            test_decrease = self._max_decrease - self._sum_decrease
            self.drift_detected = self._test_drift(test_increase, test_decrease)

    def state(self):
        return {"n": float(self._x_mean.n), "mean": self._x_mean.get(), "sum_increase": self._sum_increase,
                "sum_decrease": self._sum_decrease, "min_increase": self._min_increase,
                "max_decrease": float(self._max_decrease)}


class Bucket:
    """adwin_c.pyx Bucket: fixed arrays of max_size + 1 totals and variances."""

    def __init__(self, max_size):
        self.max_size = max_size
        self.current_idx = 0
        self.total_array = [0.0] * (max_size + 1)
        self.variance_array = [0.0] * (max_size + 1)

    def insert_data(self, value, variance):
        self.total_array[self.current_idx] = value
        self.variance_array[self.current_idx] = variance
        self.current_idx += 1

    def remove(self):
        self.compress(1)

    def compress(self, n_elements):
        remaining = self.current_idx - n_elements
        for i in range(max(remaining, 0)):
            self.total_array[i] = self.total_array[i + n_elements]
            self.variance_array[i] = self.variance_array[i + n_elements]
        for i in range(max(remaining, 0), self.current_idx):
            self.total_array[i] = 0.0
            self.variance_array[i] = 0.0
        self.current_idx -= n_elements


class AdaptiveWindowing:
    """adwin_c.pyx AdaptiveWindowing, transcribed."""

    def __init__(self, delta=.002, clock=32, max_buckets=5, min_window_length=5, grace_period=10):
        self.delta = delta
        self._bucket_list = [Bucket(max_size=max_buckets)]
        self.total = 0.
        self.variance = 0.
        self.width = 0.
        self.n_buckets = 0
        self.grace_period = grace_period
        self.tick = 0
        self.total_width = 0.
        self.n_detections = 0
        self.clock = clock
        self.max_n_buckets = 0
        self.min_window_length = min_window_length
        self.max_buckets = max_buckets

    def update(self, value):
        self._insert_element(float(value), 0.0)
        return self._detect_change()

    def _insert_element(self, value, variance):
        bucket = self._bucket_list[0]
        bucket.insert_data(value, variance)
        self.n_buckets += 1
        if self.n_buckets > self.max_n_buckets:
            self.max_n_buckets = self.n_buckets
        self.width += 1
        incremental_variance = 0.0
        if self.width > 1.0:
            incremental_variance = (
                (self.width - 1.0)
                * (value - self.total / (self.width - 1.0))
                * (value - self.total / (self.width - 1.0))
                / self.width
            )
        self.variance += incremental_variance
        self.total += value
        self._compress_buckets()

    def _delete_element(self):
        deque_len = len(self._bucket_list)
        bucket = self._bucket_list[deque_len - 1]
        n = float(1 << (deque_len - 1))
        u = bucket.total_array[0]
        mu = u / n
        v = bucket.variance_array[0]
        self.width -= n
        self.total -= u
        mu_window = self.total / self.width
        incremental_variance = (
            v + n * self.width * (mu - mu_window) * (mu - mu_window)
            / (n + self.width)
        )
        self.variance -= incremental_variance
        bucket.remove()
        self.n_buckets -= 1
        if bucket.current_idx == 0:
            self._bucket_list.pop()
        return n

    def _compress_buckets(self):
        bucket = self._bucket_list[0]
        idx = 0
        while bucket is not None:
            k = bucket.current_idx
            if k == self.max_buckets + 1:
                if idx + 1 < len(self._bucket_list):
                    next_bucket = self._bucket_list[idx + 1]
                else:
                    next_bucket = Bucket(max_size=self.max_buckets)
                    self._bucket_list.append(next_bucket)
                n1 = float(1 << idx)
                mu1 = bucket.total_array[0] / n1
                mu2 = bucket.total_array[1] / n1
                total12 = bucket.total_array[0] + bucket.total_array[1]
                temp = n1 * 0.5 * (mu1 - mu2) * (mu1 - mu2)
                v12 = bucket.variance_array[0] + bucket.variance_array[1] + temp
                next_bucket.insert_data(total12, v12)
                self.n_buckets += 1
                bucket.compress(2)
                if next_bucket.current_idx <= self.max_buckets:
                    break
            else:
                break
            if idx + 1 < len(self._bucket_list):
                bucket = self._bucket_list[idx + 1]
            else:
                bucket = None
            idx += 1

    def _detect_change(self):
        change_detected = False
        exit_flag = False
        self.tick += 1
        if (self.tick % self.clock == 0) and (self.width > self.grace_period):
            reduce_width = True
            while reduce_width:
                reduce_width = False
                exit_flag = False
                n0 = 0.0
                n1 = self.width
                u0 = 0.0
                u1 = self.total
                v0 = 0.0
                v1 = self.variance
                for idx in range(len(self._bucket_list) - 1, -1, -1):
                    if exit_flag:
                        break
                    bucket = self._bucket_list[idx]
                    bucket_size = float(1 << idx)
                    for k in range(bucket.current_idx):
                        n2 = bucket_size
                        u2 = bucket.total_array[k]
                        mu2 = u2 / n2
                        if n0 > 0.0:
                            mu0 = u0 / n0
                            v0 += (bucket.variance_array[k] + n0 * n2 * (mu0 - mu2) * (mu0 - mu2) / (n0 + n2))
                        if n1 > 0.0:
                            mu1 = u1 / n1
                            v1 -= (bucket.variance_array[k] + n1 * n2 * (mu1 - mu2) * (mu1 - mu2) / (n1 + n2))
                        n0 += bucket_size
                        n1 -= bucket_size
                        u0 += bucket.total_array[k]
                        u1 -= bucket.total_array[k]
                        if (idx == 0) and (k == bucket.current_idx - 1):
                            exit_flag = True
                            break
                        delta_mean = (u0 / n0) - (u1 / n1)
                        if (n1 >= self.min_window_length and n0 >= self.min_window_length
                                and self._evaluate_cut(n0, n1, delta_mean, self.delta)):
                            reduce_width = True
                            change_detected = True
                            if self.width > 0:
                                n0 -= self._delete_element()
                                exit_flag = True
                                break
        self.total_width += self.width
        if change_detected:
            self.n_detections += 1
        return change_detected

    def _evaluate_cut(self, n0, n1, delta_mean, delta):
        delta_prime = math.log(2 * math.log(self.width) / delta)
        m_recip = ((1.0 / (n0 - self.min_window_length + 1))
                   + (1.0 / (n1 - self.min_window_length + 1)))
        epsilon = (math.sqrt(2 * m_recip * (self.variance / self.width) * delta_prime)
                   + 2.0 / 3.0 * delta_prime * m_recip)
        return abs(delta_mean) > epsilon


class ADWIN:
    """river/drift/adwin.py: resets its window on the update after a detection."""

    def __init__(self, delta=0.002, clock=32, max_buckets=5, min_window_length=5, grace_period=10):
        self.delta = delta
        self.clock = clock
        self.max_buckets = max_buckets
        self.min_window_length = min_window_length
        self.grace_period = grace_period
        self._reset()

    def _reset(self):
        self.drift_detected = False
        self._helper = AdaptiveWindowing(delta=self.delta, clock=self.clock, max_buckets=self.max_buckets,
                                         min_window_length=self.min_window_length, grace_period=self.grace_period)

    def update(self, x):
        if self.drift_detected:
            self._reset()
        self.drift_detected = self._helper.update(x)

    def state(self):
        h = self._helper
        return {"width": h.width, "total": h.total, "variance": h.variance, "total_width": h.total_width,
                "n_detections": h.n_detections, "tick": h.tick, "n_buckets": h.n_buckets,
                "max_n_buckets": h.max_n_buckets,
                "rows": [{"totals": b.total_array[:b.current_idx], "variances": b.variance_array[:b.current_idx]}
                         for b in h._bucket_list]}


def river_doctest_stream():
    rng = random.Random(12345)
    return [float(v) for v in rng.choices([0, 1], k=1000) + rng.choices(range(4, 8), k=1000)]


def streams():
    rng = np.random.default_rng(20261206)
    out = {"river_doctest": river_doctest_stream()}
    out["abrupt_mean_shift"] = np.concatenate([rng.normal(1.0, 0.3, 1500), rng.normal(2.5, 0.3, 1500)]).tolist()
    ramp = np.clip((np.arange(3000) - 1000) / 1000.0, 0.0, 1.0)
    out["gradual"] = (0.5 + 1.5 * ramp + rng.normal(0.0, 0.2, 3000)).tolist()
    out["noisy_no_drift"] = rng.normal(0.8, 1.0, 3000).tolist()
    out["constant"] = [0.25] * 2000
    # a training loss: decays, jumps when the concept changes, decays again, then drops
    t = np.arange(1000)
    out["loss_like"] = np.concatenate([
        2.0 * np.exp(-t / 150.0) + 0.05 + np.abs(rng.normal(0.0, 0.02, 1000)),
        1.5 * np.exp(-t / 150.0) + 0.05 + np.abs(rng.normal(0.0, 0.02, 1000)),
        0.02 + np.abs(rng.normal(0.0, 0.005, 1000))]).tolist()
    out["decrease"] = np.concatenate([rng.normal(5.0, 0.5, 1000), rng.normal(1.0, 0.5, 1000)]).tolist()
    return out


DETECTORS = [
    ("PageHinkley", {}),
    ("PageHinkley", {"threshold": 10.0, "min_instances": 50}),
    ("PageHinkley", {"mode": "up", "threshold": 5.0, "delta": 0.01}),
    ("PageHinkley", {"mode": "down", "threshold": 5.0, "alpha": 0.999}),
    ("ADWIN", {}),
    ("ADWIN", {"delta": 0.05, "clock": 1}),
    ("ADWIN", {"delta": 0.001, "clock": 8, "max_buckets": 2, "min_window_length": 10, "grace_period": 50}),
    ("ADWIN", {"clock": 16, "max_buckets": 9}),
]


def run(name, params, values):
    det = (PageHinkley if name == "PageHinkley" else ADWIN)(**params)
    detections = []
    for i, x in enumerate(values):
        det.update(x)
        if det.drift_detected:
            detections.append(i)
    return detections, det.state()


def check_against_river_doctests():
    stream = river_doctest_stream()
    detections, _ = run("PageHinkley", {}, stream)
    assert detections[:1] == [1006] and stream[1006] == 5, detections
    # ADWIN's doctest: "Change detected at index 1023, input value: 4"
    detections, _ = run("ADWIN", {}, stream)
    assert detections[:1] == [1023] and stream[1023] == 4, detections


def main():
    check_against_river_doctests()
    os.makedirs(OUT, exist_ok=True)
    cases = []
    for stream_name, values in streams().items():
        for name, params in DETECTORS:
            detections, state = run(name, params, values)
            cases.append({"stream": stream_name, "detector": name, "params": params,
                          "detections": detections, "state": state})
    with open(os.path.join(OUT, "detectors.json"), "w") as f:
        json.dump({"generator": "transcription of River's PageHinkley and ADWIN (see gen_drift_fixtures.py)",
                   "streams": streams(), "cases": cases}, f)
        f.write("\n")
    for c in cases:
        print(f"{c['stream']:18s} {c['detector']:11s} {json.dumps(c['params']):95s} {c['detections'][:8]}"
              f"{' ...' if len(c['detections']) > 8 else ''} ({len(c['detections'])})")


if __name__ == "__main__":
    main()
