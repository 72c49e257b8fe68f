#!/usr/bin/python3
"""Writes Avro container files of LabeledTensorRecords with Python's `avro` library, as a Python
producer would, for the avro-file source's tests (ContainerReaderTest): another producer's files,
read by the same reader as streamgrad's own.

    /usr/bin/python3 src/test/python/gen_python_avro_files.py

Writes to src/test/resources/fixtures/files/:
  python-default.avro   the library's defaults (null codec, its own block size)
  python-deflate.avro   codec deflate
  python-records.json   what the files hold: per record model, seq, event time (epoch ms), and the
                        input and target values (float32 values, written as exact decimals)
The schema is schemas/versions/LabeledTensorRecord-v1.avsc, self-contained, as a producer has it.
Debian: apt-get install python3-avro python3-numpy.
"""
import datetime
import json
import os

import avro.schema
import numpy as np
from avro.datafile import DataFileWriter
from avro.io import DatumWriter

HERE = os.path.dirname(__file__)
OUT = os.path.join(HERE, "..", "resources", "fixtures", "files")
SCHEMA = os.path.join(HERE, "..", "..", "..", "schemas", "versions", "LabeledTensorRecord-v1.avsc")
EPOCH = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)


def tensor(values):
    return {"shape": list(values.shape), "dtype": "FLOAT32", "data": values.astype("<f4").tobytes()}


def main():
    rng = np.random.default_rng(20261206)
    records = []
    for i in range(300):
        x = rng.standard_normal((7, 5)).astype(np.float32)
        y = rng.standard_normal((5, 3)).astype(np.float32)
        records.append({"model": ["m-a", "m-b", "m-c"][i % 3], "seq": i // 3,
                        "eventTime": EPOCH + datetime.timedelta(milliseconds=i), "input": tensor(x),
                        "target": tensor(y), "_x": x, "_y": y})
    with open(SCHEMA) as f:
        schema = avro.schema.parse(f.read())
    os.makedirs(OUT, exist_ok=True)
    for name, codec in (("python-default.avro", "null"), ("python-deflate.avro", "deflate")):
        with open(os.path.join(OUT, name), "wb") as f, DataFileWriter(f, DatumWriter(), schema, codec=codec) as w:
            for r in records:
                w.append({k: v for k, v in r.items() if not k.startswith("_")})
    with open(os.path.join(OUT, "python-records.json"), "w") as f:
        json.dump([{"model": r["model"], "seq": r["seq"], "eventTimeMillis": 1767225600000 + i,
                    "input": r["_x"].astype(np.float64).tolist(), "target": r["_y"].astype(np.float64).tolist()}
                   for i, r in enumerate(records)], f)


if __name__ == "__main__":
    main()
