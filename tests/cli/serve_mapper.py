# serve_mapper.py MOJASIM DIR: `mojasim serve mapper --port 0 --json --config FILE` prints one
# line of JSON, serves the file's entries on both faces (PH-EE's GET /beneficiaries/{id},
# G2P Connect's /mapper/sync/resolve of the same national id), and SIGTERM stops it (exit 0).
import json
import os
import signal
import subprocess
import sys
import urllib.request

config = os.path.join(sys.argv[2], "mapper.yaml")
with open(config, "w") as f:
    f.write("mapper:\n  entries:\n"
            "    - { institution: greenbank, identity: '4829105563', modality: '01', financial_address: '0495822412', bank: dfsp2 }\n")
proc = subprocess.Popen([sys.argv[1], "serve", "mapper", "--port", "0", "--json", "--config", config],
                        stdout=subprocess.PIPE, text=True)
try:
    url = json.loads(proc.stdout.readline())["mapper"]["url"]
    req = urllib.request.Request(url + "/beneficiaries/4829105563", headers={"X-Registering-Institution-ID": "greenbank"})
    with urllib.request.urlopen(req, timeout=5) as res:
        body = json.loads(res.read())
        assert body["financialAddress"] == "0495822412" and body["bankingInstitutionCode"] == "dfsp2", body
    resolve = {"signature": "", "header": {"message_id": "m", "message_ts": "2024-05-01 10:00:00.123456",
                                           "action": "resolve", "sender_id": "cli", "total_count": 1},
               "message": {"transaction_id": "t", "resolve_request": [
                   {"reference_id": "r", "timestamp": "2024-05-01T10:00:00", "id": "token:4829105563@nationalId"}]}}
    req = urllib.request.Request(url + "/mapper/sync/resolve", data=json.dumps(resolve).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=5) as res:
        entry = json.loads(res.read())["message"]["resolve_response"][0]
        assert entry["fa"] == "mobile:0495822412@dfsp2" and entry["status_reason_code"] == "succ.id.active", entry
finally:
    proc.send_signal(signal.SIGTERM)
    code = proc.wait(timeout=10)
assert code == 0, code
print("serve mapper ok")
