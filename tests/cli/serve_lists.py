# serve_lists.py MOJASIM SCENARIO: `mojasim serve --config` says which beneficiaries and fault
# rules it started with, in its text and in --json.
import json, signal, subprocess, sys

mojasim, config = sys.argv[1], sys.argv[2]
for as_json in (False, True):
    args = [mojasim, "serve", "--free-ports", "--config", config] + (["--json"] if as_json else [])
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
    try:
        if as_json:
            topology = json.loads(proc.stdout.readline())
            assert [(f["dfsp"], f["id"], f["step"], f["action"]) for f in topology["faults"]] == \
                [("dfsp2", "silent", "quote", "no_callback")], topology["faults"]
        else:
            text = ""
            while "ready" not in text:
                line = proc.stdout.readline()
                assert line, text
                text += line
            assert "beneficiary 0495000001 at dfsp2" in text and "beneficiary 0495000002 at dfsp2" in text, text
            assert "fault silent at dfsp2: no_callback on quote for 0495000002" in text, text
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
print("serve lists ok")
