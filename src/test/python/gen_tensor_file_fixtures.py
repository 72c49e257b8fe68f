#!/usr/bin/python3
"""Tensor file fixtures for dev.streamgrad.models (TensorFileFixturesTest): .npz files written by
numpy itself, safetensors files written to the format's specification, and the verdict of numpy
and a spec-following reader on the files streamgrad's Java writers produce.

    /usr/bin/python3 src/test/python/gen_tensor_file_fixtures.py          # write the fixtures
    /usr/bin/python3 src/test/python/gen_tensor_file_fixtures.py --check  # only re-check the java-* files

Debian bookworm: apt-get install python3-numpy (numpy 1.24). Debian has no python3-safetensors
package (and PyTorch 1.13's does not include it), so the safetensors files are written and read by
the functions below, which follow the format as github.com/huggingface/safetensors specifies it
(README "Format") and as its Rust serializer writes it (safetensors/src/tensor.rs, prepare() and
serialize(): tensors sorted by dtype, F64 before F32, then by name; "__metadata__" first; compact
JSON padded with spaces to a multiple of 8) and validates it (read_metadata() and validate(): header
at most 100,000,000 bytes, offsets sorted, contiguous from 0, sizes equal to the shapes', buffer
ending at the end of the file).

Writes to src/test/resources/fixtures/models/:
  arrays.json                   every array: name, dtype, shape, and its little-endian C-order bytes in hex
  numpy-savez.npz               np.savez of the canonical arrays (stored entries)
  numpy-savez-compressed.npz    np.savez_compressed of the canonical and the numpy-only arrays (deflated)
  numpy-layouts.npz             np.savez of the numpy-only arrays: Fortran order, big-endian
  numpy-object.npz              np.savez of an object array (a pickle; np.load refuses it without allow_pickle)
  numpy-int64.npz               np.savez of an int64 array
  numpy-structured.npz          np.savez of a structured array
  spec-written.safetensors      the canonical arrays and METADATA, written as the reference serializer does
  python-written.json           the canonical arrays in streamgrad's JSON tensor format, from ndarray.tolist()
  java-verdict.json             what numpy and the spec reader found in java-written.{npz,safetensors,json}
The java-written.* files are what the Java writers produce for the canonical arrays and METADATA
(TensorFileFixturesTest compares its output with them byte for byte and checks the verdict's sha256).
"""
import hashlib
import json
import os
import struct
import sys

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "fixtures", "models")
METADATA = {"format": "pt", "model": "m-a", "version": "12", "note": "\u00fcn\u00efcode \u2713"}
MAX_HEADER_SIZE = 100_000_000
ST_DTYPES = {"F64": np.dtype("<f8"), "F32": np.dtype("<f4")}


def canonical():
    """Arrays the Java writers produce too: float64/float32, C order, little-endian."""
    rng = np.random.default_rng(20261206)
    specials = np.array([np.nan, np.inf, -np.inf, -0.0, 5e-324, 1.7976931348623157e308, 0.1, 1 / 3])
    return {
        "filter": rng.standard_normal((3, 3)),
        "bias": np.array([[0.125]]),
        "1.filter": rng.standard_normal((2, 5)),
        "m-a/filter": rng.standard_normal((1, 7)),
        "scalar": np.array(-2.5),
        "specials": specials,
        "cube": rng.standard_normal((2, 3, 4)),
        "f32": rng.standard_normal((3, 2)).astype(np.float32),
        "prime": (rng.standard_normal(13) * 1e6).astype(np.float32),
        "empty": np.zeros((0, 3)),
        "long": rng.standard_normal((1234567 // 1000,)),
    }


def numpy_only():
    """Layouts only numpy writes: the Java reader must return them little-endian in C order."""
    rng = np.random.default_rng(7)
    return {
        "fortran": np.asfortranarray(rng.standard_normal((3, 4))),
        "fortran3d": np.asfortranarray(rng.standard_normal((2, 3, 4))),
        "big": rng.standard_normal((2, 2)).astype(">f8"),
        "big32": rng.standard_normal(3).astype(">f4"),
    }


def describe(arrays):
    return [{"name": k, "dtype": "float64" if v.dtype.kind == "f" and v.dtype.itemsize == 8 else "float32",
             "shape": list(v.shape), "hex": np.ascontiguousarray(v).astype(v.dtype.newbyteorder("<")).tobytes().hex()}
            for k, v in arrays.items()]


def write_safetensors(path, arrays, metadata):
    def dtype_rank(a):  # the reference's descending dtype order: F64 before F32
        return 0 if a.dtype.itemsize == 8 else 1
    order = sorted(arrays.items(), key=lambda kv: (dtype_rank(kv[1]), kv[0].encode("utf-8")))
    header = {"__metadata__": metadata} if metadata else {}
    offset = 0
    for name, a in order:
        n = a.size * a.dtype.itemsize
        header[name] = {"dtype": "F64" if a.dtype.itemsize == 8 else "F32", "shape": list(a.shape),
                        "data_offsets": [offset, offset + n]}
        offset += n
    h = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for _, a in order:
            f.write(np.ascontiguousarray(a).astype(a.dtype.newbyteorder("<")).tobytes())


def read_safetensors(path):
    """The reference's read_metadata() and validate(), then the arrays with numpy."""
    buf = open(path, "rb").read()
    if len(buf) < 8:
        raise ValueError("HeaderTooSmall")
    (n,) = struct.unpack("<Q", buf[:8])
    if n > MAX_HEADER_SIZE:
        raise ValueError("HeaderTooLarge")
    if 8 + n > len(buf):
        raise ValueError("InvalidHeaderLength")

    def no_duplicates(pairs):
        keys = [k for k, _ in pairs]
        if len(keys) != len(set(keys)):
            raise ValueError("duplicate keys")
        return dict(pairs)
    header = json.loads(buf[8:8 + n].decode("utf-8"), object_pairs_hook=no_duplicates)
    metadata = header.pop("__metadata__", None) or {}
    if not all(isinstance(v, str) for v in metadata.values()):
        raise ValueError("metadata values must be strings")
    infos = sorted(header.items(), key=lambda kv: tuple(kv[1]["data_offsets"]))
    start = 0
    for name, info in infos:
        s, e = info["data_offsets"]
        if s != start or e < s:
            raise ValueError("InvalidOffset(%s)" % name)
        start = e
        if int(np.prod(info["shape"], dtype=np.int64)) * ST_DTYPES[info["dtype"]].itemsize != e - s:
            raise ValueError("TensorInvalidInfo(%s)" % name)
    if start + 8 + n != len(buf):
        raise ValueError("MetadataIncompleteBuffer")
    data = buf[8 + n:]
    arrays = {name: np.frombuffer(data[info["data_offsets"][0]:info["data_offsets"][1]],
                                  dtype=ST_DTYPES[info["dtype"]]).reshape(info["shape"])
              for name, info in infos}
    return arrays, metadata


def write_json(path, arrays, metadata):
    def tolist(a):
        v = a.tolist()
        fix = lambda x: [fix(y) for y in x] if isinstance(x, list) else (
            "NaN" if x != x else "Infinity" if x == float("inf") else "-Infinity" if x == float("-inf") else x)
        return fix(v)
    doc = {"metadata": metadata, "tensors": {k: {"dtype": str(a.dtype), "shape": list(a.shape), "data": tolist(a)}
                                             for k, a in arrays.items()}}
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False)


def read_json(path):
    doc = json.load(open(path, encoding="utf-8"))
    return ({k: np.array(t["data"], dtype=t["dtype"]).reshape(t["shape"]) for k, t in doc["tensors"].items()},
            doc["metadata"])


def same(expected, got):
    """Names (in order where the format keeps it), dtypes, shapes and values bit for bit."""
    problems = []
    if sorted(expected) != sorted(got):
        problems.append("names %s != %s" % (sorted(got), sorted(expected)))
    for k, e in expected.items():
        g = got.get(k)
        if g is None:
            continue
        if g.dtype.newbyteorder("<") != e.dtype.newbyteorder("<") or g.shape != e.shape:
            problems.append("%s: %s %s != %s %s" % (k, g.dtype, g.shape, e.dtype, e.shape))
        elif np.ascontiguousarray(g).astype(g.dtype.newbyteorder("<")).tobytes() != \
                np.ascontiguousarray(e).astype(e.dtype.newbyteorder("<")).tobytes():
            problems.append("%s: values differ" % k)
    return problems


def check_java():
    arrays = canonical()
    verdict = {"numpy": np.__version__}
    for fmt in ("npz", "safetensors", "json"):
        path = os.path.join(OUT, "java-written." + fmt)
        if not os.path.exists(path):
            verdict[fmt] = {"problems": ["missing: run TensorFileFixturesTest and copy target/tensor-files/" +
                                         os.path.basename(path)]}
            continue
        sha = hashlib.sha256(open(path, "rb").read()).hexdigest()
        try:
            if fmt == "npz":
                with np.load(path) as z:  # allow_pickle=False, numpy's default
                    got, metadata = {k: z[k] for k in z.files}, {}
                    order = list(z.files)
            elif fmt == "safetensors":
                got, metadata = read_safetensors(path)
                order = None
            else:
                got, metadata = read_json(path)
                order = list(got)
            problems = same(arrays, got)
            if order is not None and order != list(arrays):
                problems.append("order %s != %s" % (order, list(arrays)))
            if fmt != "npz" and metadata != METADATA:
                problems.append("metadata %s != %s" % (metadata, METADATA))
        except Exception as e:  # the verdict records any failure
            problems = ["%s: %s" % (type(e).__name__, e)]
        verdict[fmt] = {"sha256": sha, "problems": problems}
    with open(os.path.join(OUT, "java-verdict.json"), "w") as f:
        json.dump(verdict, f, indent=1)
        f.write("\n")
    print(json.dumps(verdict, indent=1))
    return all(not v["problems"] for k, v in verdict.items() if k != "numpy")


def main():
    os.makedirs(OUT, exist_ok=True)
    if "--check" not in sys.argv:
        arrays, extra = canonical(), numpy_only()
        with open(os.path.join(OUT, "arrays.json"), "w") as f:
            json.dump({"numpy": np.__version__, "canonical": describe(arrays), "numpyOnly": describe(extra),
                       "metadata": METADATA}, f, indent=1)
            f.write("\n")
        np.savez(os.path.join(OUT, "numpy-savez.npz"), **arrays)
        np.savez_compressed(os.path.join(OUT, "numpy-savez-compressed.npz"), **arrays, **extra)
        np.savez(os.path.join(OUT, "numpy-layouts.npz"), **extra)
        np.savez(os.path.join(OUT, "numpy-object.npz"), filter=np.array([{"a": 1}, None], dtype=object))
        np.savez(os.path.join(OUT, "numpy-int64.npz"), filter=np.arange(6, dtype="<i8").reshape(2, 3))
        np.savez(os.path.join(OUT, "numpy-structured.npz"), filter=np.zeros(2, dtype=[("x", "<f8"), ("y", "<f4")]))
        write_safetensors(os.path.join(OUT, "spec-written.safetensors"), arrays, METADATA)
        got, metadata = read_safetensors(os.path.join(OUT, "spec-written.safetensors"))
        assert not same(arrays, got) and metadata == METADATA
        write_json(os.path.join(OUT, "python-written.json"), arrays, METADATA)
        assert not same(arrays, read_json(os.path.join(OUT, "python-written.json"))[0])
    sys.exit(0 if check_java() else 1)


if __name__ == "__main__":
    main()
