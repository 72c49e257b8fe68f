#!/usr/bin/python3
"""Rewrites Avro container files with Python's `avro` library and its default settings (null codec,
its own sync interval and block sizes): the files a Python producer writes, for the avro-file
source's benchmark (`streamgrad bench --source avro-file --input DIR`, docs/jobs.md#throughput).

    /usr/bin/python3 src/test/python/rewrite_with_python_avro.py IN.avro... OUT_DIR

Each input file (for instance what `streamgrad generate` or the bench writes) becomes OUT_DIR/<name>
with the same records in the same order, so a job trained on either learns the same filter.
Debian: apt-get install python3-avro.
"""
import os
import sys

import avro.schema
from avro.datafile import DataFileReader, DataFileWriter
from avro.io import DatumReader, DatumWriter


def rewrite(src, out_dir):
    dst = os.path.join(out_dir, os.path.basename(src))
    with open(src, "rb") as f_in, DataFileReader(f_in, DatumReader()) as reader:
        schema = avro.schema.parse(reader.meta["avro.schema"].decode("utf-8"))
        n = 0
        with open(dst, "wb") as f_out, DataFileWriter(f_out, DatumWriter(), schema) as writer:
            for record in reader:
                writer.append(record)
                n += 1
    print("wrote %d records to %s" % (n, dst))


def main(args):
    if len(args) < 2:
        sys.exit(__doc__)
    os.makedirs(args[-1], exist_ok=True)
    for src in args[:-1]:
        rewrite(src, args[-1])


if __name__ == "__main__":
    main(sys.argv[1:])
