# cluster.py MOJASIM SOURCE_DIR MODE: the actors as separate processes, as a cluster runs them.
#   demo     serve switch, two serve dfsp and serve hub on free ports, each printing its
#            topology fragment (--json); GET /health on every listener; `run --attach` the
#            demo scenario against them; SIGTERM stops each with exit code 0.
#   restart  the same four, a batch of 120 payments attached, the payee bank killed (SIGKILL)
#            mid-batch and restarted on its ports: every payment ends final and money is
#            conserved (positions sum to zero, the payer's position is what the hub paid, the
#            treasury lost exactly that, nothing stays blocked).
#   bench    `bench e2e --attach`: the multi-process figure beside the in-process one.
# Bounded: every wait has a deadline, and every child process is stopped on the way out.
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

MOJASIM, SOURCE, MODE = sys.argv[1], sys.argv[2], sys.argv[3]
TOPOLOGY = os.path.join(SOURCE, "scenarios", "topology")
children = []


def start(name, args, env=None):
    """Start `mojasim serve ...`, return (process, the JSON line it prints when ready)."""
    proc = subprocess.Popen([MOJASIM, "serve"] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=dict(os.environ, **(env or {})))
    children.append(proc)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stdout], [], [], 0.5)
        if ready:
            line = proc.stdout.readline()
            if not line:
                break
            if line.startswith("{"):
                return proc, json.loads(line)
        if proc.poll() is not None:
            break
    raise AssertionError(f"{name} did not print its topology line: {proc.stderr.read() if proc.poll() is not None else ''}")


def stop(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            return proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return proc.returncode


def get(url, headers=None):
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as res:
            return res.status, json.loads(res.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def dfsp_config(work, name, replace=(), more_parties=""):
    """The topology's DFSP file with this test's changes (shorter timeouts, more parties)."""
    with open(os.path.join(TOPOLOGY, name + ".yaml")) as f:
        text = f.read()
    for old, new in replace:
        assert old in text, old
        text = text.replace(old, new)
    if more_parties:
        assert "\nparties:\n" in text
        text = text.replace("\nparties:\n", "\nparties:\n" + more_parties)
    path = os.path.join(work, name + ".yaml")
    with open(path, "w") as f:
        f.write(text)
    return path


def start_cluster(d1_config, d2_config):
    sw, sw_line = start("switch", ["switch", "--config", os.path.join(TOPOLOGY, "switch.yaml"), "--fspiop-port", "0",
                                   "--admin-port", "0", "--currency", "USD", "--json"])
    # The banks take the switch's addresses from the environment, as in a cluster.
    env = {"MOJASIM_SWITCH_FSPIOP_URL": sw_line["switch"]["fspiop"],
           "MOJASIM_SWITCH_ADMIN_URL": sw_line["switch"]["admin"]}
    d1_args = ["dfsp", "--config", d1_config, "--fspiop-port", "0", "--test-port", "0",
               "--connector-port", "0", "--json"]
    d1, d1_line = start("dfsp1", d1_args, env)
    d2_args = ["dfsp", "--config", d2_config, "--json"]
    d2, d2_line = start("dfsp2", d2_args + ["--fspiop-port", "0", "--test-port", "0"], env)
    hub, hub_line = start("hub", ["hub", "--config", os.path.join(TOPOLOGY, "hub.yaml"), "--bulk-port", "0",
                                  "--ops-port", "0", "--json"],
                          {"MOJASIM_CONNECTOR_URL": d1_line["dfsps"][0]["connector"]})
    for line in (d1_line, d2_line):
        assert line["dfsps"][0]["onboarded"], line
    files = []
    for name, line in (("switch", sw_line), ("dfsp1", d1_line), ("dfsp2", d2_line), ("hub", hub_line)):
        path = os.path.join(os.path.dirname(d1_config), name + ".json")
        with open(path, "w") as f:
            json.dump(line, f)
        files.append(path)
    procs = {"switch": sw, "dfsp1": d1, "dfsp2": d2, "hub": hub}
    lines = {"switch": sw_line, "dfsp1": d1_line, "dfsp2": d2_line, "hub": hub_line}
    return procs, lines, files, env, d2_args


def attach_args(files):
    out = []
    for f in files:
        out += ["--attach", f]
    return out


def health_everywhere(lines):
    s, d1, d2, h = lines["switch"]["switch"], lines["dfsp1"]["dfsps"][0], lines["dfsp2"]["dfsps"][0], lines["hub"]["hub"]
    urls = [s["fspiop"], s["admin"], d1["fspiop"], d1["connector"], d1["test"], d2["fspiop"], d2["test"],
            h["bulk"].rsplit("/", 1)[0], h["operations"]]
    for url in urls:
        status, body = get(url + "/health")
        assert status == 200, (url, status, body)
        for key in ("status", "uptime", "startTime", "versionNumber", "services"):
            assert key in body, (url, key, body)
        assert body["status"] == "OK", (url, body)
        assert all(svc["status"] == "OK" for svc in body["services"]), (url, body)
    # Each dependency is listed: the banks depend on the switch, the hub on the connector.
    assert [x["name"] for x in get(d2["test"] + "/health")[1]["services"]] == ["switch"]
    assert [x["name"] for x in get(h["operations"] + "/health")[1]["services"]] == ["connector:greenbank"]


def demo(work):
    procs, lines, files, _, _ = start_cluster(dfsp_config(work, "dfsp1"), dfsp_config(work, "dfsp2"))
    health_everywhere(lines)
    run = subprocess.run([MOJASIM, "run", os.path.join(SOURCE, "scenarios", "demo.yaml"), "--color", "never"] +
                         attach_args(files), capture_output=True, text=True, timeout=120)
    print(run.stdout, run.stderr)
    assert run.returncode == 0 and "1 passed, 0 failed" in run.stdout, run.returncode
    # Twice against the same actors: positions are read as the change over the run, the
    # demo's fault rule was removed and set again, the beneficiaries exist already.
    again = subprocess.run([MOJASIM, "run", os.path.join(SOURCE, "scenarios", "demo.yaml"), "--color", "never"] +
                           attach_args(files), capture_output=True, text=True, timeout=120)
    print(again.stdout, again.stderr)
    assert again.returncode == 0 and "1 passed, 0 failed" in again.stdout, again.returncode
    # The demo's fault rule is gone from the payee bank once the run ended.
    status, rules = get(lines["dfsp2"]["dfsps"][0]["test"] + "/faults")
    assert status == 200 and rules == [], rules
    # With the switch gone, the hub and the banks say which dependency is down.
    assert stop(procs["switch"]) == 0
    status, body = get(lines["dfsp2"]["dfsps"][0]["test"] + "/health")
    assert status == 502 and body["status"] == "DOWN" and body["services"][0]["status"] == "DOWN", body
    for name in ("dfsp1", "dfsp2", "hub"):
        assert stop(procs[name]) == 0, name


def restart(work):
    count, amount = 120, 10
    parties = "".join(f'  - {{ id_type: MSISDN, id: "0496{i:06d}", first_name: B{i}, last_name: Test }}\n'
                      for i in range(1, count + 1))
    # Short timeouts on the payer bank: a transfer lost with the payee's process expires soon.
    d1 = dfsp_config(work, "dfsp1", (("party_timeout_ms: 30000", "party_timeout_ms: 3000"),
                                     ("quote_timeout_ms: 30000", "quote_timeout_ms: 3000"),
                                     ("prepare_expiry_seconds: 60", "prepare_expiry_seconds: 3"),
                                     ("transfer_grace_ms: 10000", "transfer_grace_ms: 3000")))
    # dfsp2's file lists the batch's beneficiaries, so the restarted process knows them too.
    d2 = dfsp_config(work, "dfsp2", more_parties=parties)
    procs, lines, files, env, d2_args = start_cluster(d1, d2)
    scenario = os.path.join(work, "restart.yaml")
    with open(scenario, "w") as f:
        f.write(f"""name: payee bank restarted mid-batch
timeout: 120s
beneficiaries:
  - generate: {{ count: {count}, prefix: "0496", fsp: dfsp2, amount: "{amount}" }}
steps:
  - send_batch: {{}}
  - wait: {{ timeout: 100s }}
expect:
  batch: {{ total: {count}, ongoing: 0 }}
  blocked: {{ dfsp1: "0" }}
""")
    admin = lines["switch"]["switch"]["admin"]
    d1_test = lines["dfsp1"]["dfsps"][0]["test"]
    payee = lines["dfsp2"]["dfsps"][0]
    status, treasury = get(d1_test + "/accounts/treasury")
    assert status == 200, treasury
    before = float(treasury["balance"])
    run = subprocess.Popen([MOJASIM, "run", scenario, "--color", "never"] + attach_args(files),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    children.append(run)
    # Mid-batch: once the payee bank has fulfilled some transfers, kill it.
    deadline = time.monotonic() + 60
    fulfilled = 0
    while time.monotonic() < deadline:
        status, stats = get(payee["test"] + "/stats")
        fulfilled = stats.get("transfersFulfilled", 0) if status == 200 else 0
        if fulfilled >= 10:
            break
        time.sleep(0.02)  # polling a counter, not synchronising on time
    assert 10 <= fulfilled < count, fulfilled
    procs["dfsp2"].kill()
    procs["dfsp2"].wait(timeout=10)
    port = lambda url: url.rsplit(":", 1)[1]
    _, line = start("dfsp2 again", d2_args + ["--fspiop-port", port(payee["fspiop"]), "--test-port",
                                        port(payee["test"])], env)
    assert line["dfsps"][0]["fspiop"] == payee["fspiop"] and line["dfsps"][0]["onboarded"], line
    out, err = run.communicate(timeout=150)
    print(out, err)
    assert run.returncode == 0 and "1 passed, 0 failed" in out, run.returncode
    # Money conserved: what the switch moved is what the hub says it paid and what the
    # treasury lost.
    _, p1 = get(admin + "/participants/dfsp1/positions?currency=USD")
    _, p2 = get(admin + "/participants/dfsp2/positions?currency=USD")
    assert abs(float(p1["value"]) + float(p2["value"])) < 1e-9, (p1, p2)
    ops = lines["hub"]["hub"]["operations"]
    status, batches = get(ops + "/api/v1/batches", {"Platform-TenantId": "greenbank"})
    assert status == 200, batches
    assert batches["totalBatches"] == 1, batches
    status, batch = get(ops + "/api/v1/batch/" + batches["data"][0]["batchId"], {"Platform-TenantId": "greenbank"})
    assert status == 200, batch
    successful, failed = int(batch["successful"]), int(batch["failed"])
    print("successful", successful, "failed", failed, "positions", p1, p2)
    assert successful + failed == count, batch
    assert failed > 0 or successful == count, batch
    assert abs(float(p1["value"]) - successful * amount) < 1e-9, (p1, successful)
    _, treasury = get(d1_test + "/accounts/treasury")
    assert abs(before - float(treasury["balance"]) - successful * amount) < 1e-9, (before, treasury, successful)
    _, stats = get(d1_test + "/stats")
    assert float(stats["totalBlocked"]) == 0, stats
    for name in ("switch", "dfsp1", "hub"):
        assert stop(procs[name]) == 0, name


def bench(work):
    procs, _, files, _, _ = start_cluster(dfsp_config(work, "dfsp1"), dfsp_config(work, "dfsp2"))
    res = subprocess.run([MOJASIM, "bench", "e2e", "--payments", "300", "--no-http"] + attach_args(files),
                         capture_output=True, text=True, timeout=200)
    print(res.stdout, res.stderr)
    assert res.returncode == 0, res.returncode
    assert re.search(r"^e2e: 300 payments \(300 completed, 0 failed\)", res.stdout, re.M), res.stdout
    assert re.search(r"^e2e attached \(every actor its own process\): 300 payments \(300 completed, 0 failed\)"
                     r".* [0-9]+ payments/s; in-process [0-9]+ payments/s", res.stdout, re.M), res.stdout
    for name in ("switch", "dfsp1", "dfsp2", "hub"):
        assert stop(procs[name]) == 0, name


work = tempfile.mkdtemp(prefix="mojasim-cluster-")
try:
    {"demo": demo, "restart": restart, "bench": bench}[MODE](work)
finally:
    for p in children:
        if p.poll() is None:
            p.kill()
            p.wait()
    shutil.rmtree(work, ignore_errors=True)
print(f"cluster {MODE} ok")
