# reports.py MOJASIM SRC: the reports a pipeline reads (issue 13 §2), through the binary.
import os, re, shutil, subprocess, sys, tempfile, xml.dom.minidom

mojasim, src = sys.argv[1], sys.argv[2]
cli = os.path.join(src, "tests", "cli")
ci = os.path.join(src, "scenarios", "ci")
tmp = tempfile.mkdtemp(prefix="mojasim-reports-")


def run(*args):
    p = subprocess.run([mojasim, "run", *args, "--color", "never"], capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout + p.stderr


# 1. An unwritable report path is exit 2 before anything runs, naming the path and why.
code, out = run(os.path.join(cli, "tagged-smoke.yaml"), "--junit", "/nonexistent-dir/x.xml", "--trace", tmp)
assert code == 2, (code, out)
assert "--junit /nonexistent-dir/x.xml: its folder /nonexistent-dir does not exist" in out, out
assert "--trace " + tmp + ": it is a directory" in out, out
assert "PASS" not in out, out

# 2. A broken file among valid ones: an <error> case with file:line:column, the others run, exit 2.
junit = os.path.join(tmp, "junit.xml")
code, out = run(os.path.join(cli, "tagged-smoke.yaml"), os.path.join(cli, "malformed.yaml"),
                os.path.join(cli, "wrong-sequence.yaml"), "--junit", junit, "--seed", "42")
assert code == 2, (code, out)
assert "1 passed, 1 failed, 1 invalid" in out, out
doc = xml.dom.minidom.parse(junit)
cases = doc.getElementsByTagName("testcase")
assert len(cases) == 3, len(cases)
errors = doc.getElementsByTagName("error")
assert len(errors) == 1 and re.search(r"malformed\.yaml:3:\d+: unknown key 'amout'", errors[0].firstChild.data), errors
# 3. The seed and the options are properties; a failing payment's messages are in system-out.
props = {p.getAttribute("name"): p.getAttribute("value") for p in doc.getElementsByTagName("property")}
assert props["seed"] == "42" and props["threads"] == "2", props
assert "seed 42" in out, out
outs = [o.firstChild.data for o in doc.getElementsByTagName("system-out")]
assert len(outs) == 1 and "hub->dfsp1 POST /transfers" in outs[0] and "switch->dfsp2 POST /transfers" in outs[0], outs
# 4. A sequence mismatch names the first missing step, not two lists.
assert "step 2 of 3 'switch->dfsp2 POST /nowhere' never came after step 1 'hub->dfsp1 POST /transfers'" in out, out

# 5. A timeout: the real time, the step it was in, the payments still pending.
code, out = run(os.path.join(cli, "timeout.yaml"), "--junit", junit)
assert code == 1, (code, out)
assert "it was in step 2 (wait)" in out and "1 payments still pending: 0495000001" in out, out
case = xml.dom.minidom.parse(junit).getElementsByTagName("testcase")[0]
assert float(case.getAttribute("time")) >= 1.0, case.getAttribute("time")

# 6. A folder runs every scenario under it; --tags and --skip-tags select.
folder = os.path.join(tmp, "suite")
os.makedirs(os.path.join(folder, "sub"))
shutil.copy(os.path.join(cli, "tagged-smoke.yaml"), os.path.join(folder, "sub"))
shutil.copy(os.path.join(cli, "wrong-sequence.yaml"), folder)
shutil.copy(os.path.join(src, "scenarios", "topology", "dfsp2.yaml"), folder)  # not a scenario: skipped
code, out = run(folder)
assert code == 1 and "1 passed, 1 failed" in out and "sub/tagged-smoke.yaml" in out, (code, out)
code, out = run(folder, "--tags", "smoke")
assert code == 0 and "1 passed, 0 failed, 1 left out by tags" in out, (code, out)
code, out = run(folder, "--skip-tags", "smoke,slow-never")
assert code == 0 and "0 passed, 0 failed" in out, (code, out)
# A missing file says why.
code, out = run(os.path.join(tmp, "missing.yaml"))
assert code == 2 and "missing.yaml: cannot read the file: No such file or directory" in out, (code, out)

# 7. A fault the scenario asked for prints no warning in a passing run.
code, out = run(os.path.join(ci, "expiry.yaml"))
assert code == 0 and "warning" not in out, out
print("reports ok")
