# serve_json.py MOJASIM: `mojasim serve --free-ports --json` prints one line of JSON describing
# the running topology, every endpoint answers HTTP, and SIGTERM stops it with exit code 0.
import json
import signal
import subprocess
import sys
import urllib.error
import urllib.request

proc = subprocess.Popen([sys.argv[1], "serve", "--free-ports", "--json"], stdout=subprocess.PIPE, text=True)
try:
    line = proc.stdout.readline()
    topology = json.loads(line)
    for key in ("switch", "dfsps", "hub", "tenant", "currency", "payer", "beneficiaries"):
        assert key in topology, key
    assert topology["tenant"] == "greenbank" and topology["currency"] == "USD"
    assert [d["fspId"] for d in topology["dfsps"]] == ["dfsp1", "dfsp2"]
    assert len(topology["beneficiaries"]) == 5
    # The operations API answers, for the configured tenant.
    req = urllib.request.Request(topology["hub"]["operations"] + "/api/v1/batches",
                                 headers={"Platform-TenantId": topology["tenant"]})
    with urllib.request.urlopen(req, timeout=5) as res:
        assert res.status == 200, res.status
        assert json.loads(res.read())["totalBatches"] == 0
    # The switch's Admin API lists both banks.
    with urllib.request.urlopen(topology["switch"]["admin"] + "/participants", timeout=5) as res:
        names = {p["name"] for p in json.loads(res.read())}
        assert {"dfsp1", "dfsp2"} <= names, names
finally:
    proc.send_signal(signal.SIGTERM)
    code = proc.wait(timeout=10)
assert code == 0, code
print("serve --json ok")
