# seed_repeat.py MOJASIM SCENARIO: two runs with one --seed make the same trace apart from
# times; another seed makes other ids. Runs with --threads 1, and compares the traces as
# sorted lists of messages with times, ports and time-derived fields (ILP packet, condition,
# fulfilment) blanked: the order of messages of concurrent payments may vary, their contents
# may not.
import json, os, re, subprocess, sys, tempfile

mojasim, scenario = sys.argv[1], sys.argv[2]
tmp = tempfile.mkdtemp(prefix="mojasim-seed-")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
TIMES = [re.compile(r"\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT"), re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z?"), re.compile(r"\b1\d{12}\b"),
         re.compile(r'(ilpPacket|condition|fulfilment)\\?":\\?"[^"\\]*'), re.compile(r"127\.0\.0\.1:\d+")]


def trace(seed, name):
    path = os.path.join(tmp, name)
    p = subprocess.run([mojasim, "run", scenario, "--seed", str(seed), "--threads", "1", "--trace", path,
                        "--color", "never"], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0 and "seed %d" % seed in p.stdout, p.stdout + p.stderr
    lines, ids = [], set()
    for raw in open(path):
        r = json.loads(raw)
        for k in ("time_us", "exchange", "peer"):
            r.pop(k)
        r["headers"] = {k: v for k, v in r["headers"].items() if k.lower() not in ("date", "content-length")}
        text = json.dumps(r, sort_keys=True)
        ids.update(UUID.findall(text))
        for t in TIMES:
            text = t.sub("T", text)
        # OpenG2P's polls of the summary see the batch at times of their own: their ids are
        # compared, their counts (ongoing, successful) are not.
        if not r["target"].startswith("/api/v1/batch"):
            lines.append(text)
    # A set: how often OpenG2P polls the summary depends on time, not on the seed.
    return sorted(set(lines)), ids


a, ids_a = trace(7, "a.jsonl")
b, ids_b = trace(7, "b.jsonl")
c, ids_c = trace(8, "c.jsonl")
assert len(a) > 20 and len(ids_a) > 10, (len(a), len(ids_a))
assert ids_a == ids_b, sorted(ids_a ^ ids_b)[:10]
diff = sorted(set(a) ^ set(b))
assert a == b, diff[:3]
assert not (ids_a & ids_c), sorted(ids_a & ids_c)[:10]
print("seed ok:", len(a), "messages,", len(ids_a), "ids repeat")
