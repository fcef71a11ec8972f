# serve_trace.py MOJASIM SRC: `mojasim serve --trace FILE` writes every message as JSON lines
# (as run --trace) and logs one info line per payment outcome and, at debug, one line per
# FSPIOP message; a batch is sent through it by `run --attach`, as any client would.
import json, os, signal, subprocess, sys, tempfile

mojasim, src = sys.argv[1], sys.argv[2]
tmp = tempfile.mkdtemp(prefix="mojasim-serve-trace-")
trace = os.path.join(tmp, "serve.jsonl")
topology = os.path.join(tmp, "topology.json")
errlog = open(os.path.join(tmp, "serve.err"), "w+")
proc = subprocess.Popen([mojasim, "--log-level", "debug", "serve", "--free-ports", "--json", "--trace", trace],
                        stdout=subprocess.PIPE, stderr=errlog, text=True)
try:
    line = proc.stdout.readline()
    json.loads(line)
    with open(topology, "w") as f:
        f.write(line)
    r = subprocess.run([mojasim, "run", os.path.join(src, "scenarios", "demo.yaml"), "--attach", topology,
                        "--color", "never"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, (r.stdout, r.stderr)
finally:
    proc.send_signal(signal.SIGTERM)
    code = proc.wait(timeout=20)
assert code == 0, code
errlog.seek(0)
log = errlog.read()
outcomes = [l for l in log.splitlines() if "[payments]" in l]
assert len(outcomes) == 5, outcomes
assert sum(" info " in l for l in outcomes) == 5, outcomes
assert any("payment to MSISDN 0455510400 20.00 USD: failed 5104 Payee rejected transaction" in l for l in outcomes), outcomes
assert any("payment to MSISDN 0499000404 50.00 USD: failed 3204" in l for l in outcomes), outcomes
assert sum(": paid (transfer " in l for l in outcomes) == 3, outcomes
assert "[fspiop] switch <- dfsp1 POST /quotes (for dfsp2)" in log, log
assert "[fspiop] dfsp1 <- dfsp2 PUT /parties/MSISDN/0455510400" in log, log
# The trace: every line JSON, the upload and the FSPIOP messages among them.
records = [json.loads(l) for l in open(trace)]
assert any(r["actor"] == "hub" and r["target"] == "/batchtransactions" and r["direction"] == "received"
           for r in records), "no upload"
assert any(r["actor"] == "switch" and r["target"].startswith("/transfers/") and r["kind"] == "request"
           for r in records), "no transfer callback"
assert all(set(r) >= {"time_us", "actor", "peer", "direction", "kind", "method", "target", "headers", "body"}
           for r in records)
print("serve --trace ok", len(records), "records")
