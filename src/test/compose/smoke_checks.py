"""Checks of the compose smoke test (smoke-test.sh) on what the stack printed: snapshots read back with
`streamgrad inspect --kafka` (one JSON record per line), the producer's hidden filter, Prometheus
query answers. Python 3 standard library only. Each command prints what it found and exits 1 on a
failed check.

  smoke_checks.py snapshots FILE --models a,b --every N --last N --hidden-from LOG [--tolerance T]
  smoke_checks.py same-filter LOG LOG             both producers printed the same hidden filter
  smoke_checks.py equal FILE FILE                 same snapshots, bit for bit (the second is the reference)
  smoke_checks.py max-version FILE                the highest version of any model (0 when none)
  smoke_checks.py prom-value JSON                 the single value of a Prometheus instant query answer
  smoke_checks.py json PATH < JSON                a field of a JSON document (PATH like a.b.0.c)
"""
import json
import re
import sys


def fail(message):
    print("FAILED: " + message)
    sys.exit(1)


def read_snapshots(path):
    snaps = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith("{"):
                snaps.append(json.loads(line))
    return snaps


def hidden_filter(log_path):
    """The producer's line `hidden filter [[...], ...], bias B` (streamgrad generate prints it)."""
    with open(log_path) as f:
        text = f.read()
    m = re.search(r"hidden filter (\[\[.*?\]\]), bias (\S+)", text)
    if not m:
        fail(log_path + " has no 'hidden filter ..., bias ...' line")
    rows = json.loads(m.group(1))
    return [v for row in rows for v in row], float(m.group(2))


def by_model(snaps):
    out = {}
    for s in snaps:
        out.setdefault(s["model"], []).append(s)
    return out


def cmd_snapshots(args):
    path = args[0]
    opts = dict(zip(args[1::2], args[2::2]))
    models = opts["--models"].split(",")
    every, last = int(opts["--every"]), int(opts["--last"])
    tolerance = float(opts.get("--tolerance", "1e-3"))
    filt, bias = hidden_filter(opts["--hidden-from"])
    grouped = by_model(read_snapshots(path))
    if sorted(grouped) != sorted(models):
        fail("snapshots of models %s, expected %s" % (sorted(grouped), sorted(models)))
    expected = list(range(every, last + 1, every))
    for model in models:
        versions = [s["version"] for s in grouped[model]]
        if sorted(versions) != expected:
            dup = sorted({v for v in versions if versions.count(v) > 1})
            missing = sorted(set(expected) - set(versions))
            extra = sorted(set(versions) - set(expected))
            fail("%s: versions %s..%s (%d), duplicated %s, missing %s, unexpected %s"
                 % (model, min(versions), max(versions), len(versions), dup, missing, extra))
        final = max(grouped[model], key=lambda s: s["version"])
        diff = max(abs(a - b) for a, b in zip(final["filter"]["values"] + [final["bias"]], filt + [bias]))
        if len(final["filter"]["values"]) != len(filt) or diff > tolerance:
            fail("%s version %d: filter and bias differ from the hidden ones by %.3g (> %g)"
                 % (model, final["version"], diff, tolerance))
        print("%s: versions %d..%d every %d, none missing or duplicated; version %d is within %.2g of the hidden"
              " filter and bias" % (model, every, last, every, final["version"], diff))


def cmd_same_filter(args):
    a, b = hidden_filter(args[0]), hidden_filter(args[1])
    if a != b:
        fail("hidden filters differ: %s vs %s" % (a, b))
    print("both producers used the hidden filter %s, bias %r" % (a[0], a[1]))


def cmd_equal(args):
    run, ref = read_snapshots(args[0]), read_snapshots(args[1])
    key = lambda s: (s["model"], s["version"])
    run_keys, ref_keys = sorted(map(key, run)), sorted(map(key, ref))
    if run_keys != ref_keys:
        fail("snapshot versions differ: only in the run %s, only in the reference %s"
             % (sorted(set(run_keys) - set(ref_keys)), sorted(set(ref_keys) - set(run_keys))))
    ref_by_key = {key(s): s for s in ref}
    worst = 0.0
    for s in run:
        r = ref_by_key[key(s)]
        a = s["filter"]["values"] + [s["bias"]]
        b = r["filter"]["values"] + [r["bias"]]
        worst = max([worst] + [abs(x - y) for x, y in zip(a, b)])
        if a != b or s["records"] != r["records"]:
            fail("%s version %d differs from the uninterrupted run (largest difference %.3g)"
                 % (s["model"], s["version"], worst))
    print("%d snapshots (%s) equal the uninterrupted run's bit for bit"
          % (len(run), ", ".join("%s up to %d" % (m, max(x["version"] for x in v))
                                  for m, v in sorted(by_model(run).items()))))


def cmd_max_version(args):
    print(max([s["version"] for s in read_snapshots(args[0])] + [0]))


def cmd_prom_value(args):
    with open(args[0]) as f:
        answer = json.load(f)
    result = answer.get("data", {}).get("result", [])
    if answer.get("status") != "success" or len(result) != 1:
        print("none")
    else:
        print(result[0]["value"][1])


def cmd_json(args):
    node = json.load(sys.stdin)
    for part in args[0].split("."):
        node = node[int(part)] if isinstance(node, list) else node.get(part)
        if node is None:
            break
    print("" if node is None else (json.dumps(node) if isinstance(node, (dict, list)) else node))


COMMANDS = {"snapshots": cmd_snapshots, "same-filter": cmd_same_filter, "equal": cmd_equal,
            "max-version": cmd_max_version, "prom-value": cmd_prom_value, "json": cmd_json}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        print(__doc__)
        sys.exit(2)
    COMMANDS[sys.argv[1]](sys.argv[2:])
