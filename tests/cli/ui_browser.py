# ui_browser.py MOJASIM SOURCE_DIR MODE [SCREENSHOT]: the live page (`serve --ui`) in headless
# Chromium, driven over the DevTools protocol (a WebSocket client in the standard library).
#   batch       open the page, send the demo batch through the hub's public bulk API (as
#               OpenG2P does), and read from the DOM: progress 100 %, the failed payments'
#               FSPIOP codes (3204, 5104), the positions after (175.5 / -175.5); screenshot.
#   fault       switch the "payee rejects" fault on with the page's control, check the bank's
#               test API shows the rule, send the batch with the page's button, and read its
#               effect from the DOM: every payment failed, each registered payee with 5104,
#               positions unchanged; then switch it off again.
#   slow        a raw client follows /events and stops reading during a 4,000-row batch: the
#               server holds at most its bound for it and counts what it dropped.
#   bench N R   N rows through serve without the page and serve --ui with it open, R times.
#   screenshot  the page at 1280x720 after the demo batch, one failed payment's story open
#               (tools/ui-screenshot writes docs/ui.png with it).
# Exit 77 (ctest: skipped) only when no Chromium is installed. Every wait has a deadline.
import base64
import json
import os
import re
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

MOJASIM, SOURCE, MODE = sys.argv[1], sys.argv[2], sys.argv[3]
SHOT = sys.argv[4] if len(sys.argv) > 4 else None
children = []


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


class WebSocket:
    """Just enough of RFC 6455 for the DevTools protocol: text frames, masked from the client."""

    def __init__(self, url):
        m = re.match(r"ws://([^/:]+):(\d+)(/.*)", url)
        self.sock = socket.create_connection((m.group(1), int(m.group(2))), timeout=60)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET {m.group(3)} HTTP/1.1\r\nHost: {m.group(1)}:{m.group(2)}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise RuntimeError("websocket handshake: connection closed")
            head += chunk
        if b" 101 " not in head.split(b"\r\n")[0]:
            raise RuntimeError("websocket handshake refused: " + head.decode(errors="replace"))
        self.buf = head.split(b"\r\n\r\n", 1)[1]

    def send(self, text):
        data = text.encode()
        mask = os.urandom(4)
        n = len(data)
        header = bytes([0x81]) + (bytes([0x80 | n]) if n < 126 else
                                  bytes([0x80 | 126]) + struct.pack(">H", n) if n < 65536 else
                                  bytes([0x80 | 127]) + struct.pack(">Q", n))
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def _read(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(1 << 16)
            if not chunk:
                raise RuntimeError("websocket closed")
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def recv(self):
        message = b""
        while True:
            b0, b1 = self._read(2)
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._read(8))[0]
            payload = self._read(n)
            opcode = b0 & 0x0F
            if opcode == 8:
                raise RuntimeError("websocket closed by the browser")
            if opcode in (0, 1, 2):
                message += payload
                if b0 & 0x80:
                    return message.decode()


class Page:
    def __init__(self, ws):
        self.ws, self.next_id = ws, 0

    def call(self, method, **params):
        self.next_id += 1
        mine = self.next_id
        self.ws.send(json.dumps({"id": mine, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == mine:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})

    def eval(self, expression):
        r = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in r:
            raise RuntimeError(f"{expression}: {r['exceptionDetails']}")
        return r["result"].get("value")

    def wait_for(self, expression, what, seconds=60):
        """Evaluate until truthy (a bounded wait on the page's own state, not a sleep)."""
        deadline = time.monotonic() + seconds
        last = None
        while time.monotonic() < deadline:
            last = self.eval(expression)
            if last:
                return last
            time.sleep(0.1)
        fail(f"{what}: not seen within {seconds} s (last: {last!r}); page: {self.eval('document.body.innerText')[:1500]}")


def find_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def wait_line(stream, pattern, seconds):
    """The first match of `pattern` in what `stream` prints within `seconds` (read unbuffered:
    select on a buffered reader would miss lines already read into its buffer)."""
    fd = stream.fileno()
    deadline = time.monotonic() + seconds
    text = ""
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            text += chunk.decode(errors="replace")
            m = re.search(pattern, text)
            if m:
                return m, text
    return None, text


def drain(proc):
    """Read what a child still prints, to the end, in the background: a child whose pipe fills
    (serve logs a line per payment) would block on its next write and stop answering."""
    def read_all(stream):
        if stream is None:
            return
        fd = stream.fileno()
        try:
            while os.read(fd, 65536):
                pass
        except OSError:
            pass
    for stream in (proc.stdout, proc.stderr):
        threading.Thread(target=read_all, args=(stream,), daemon=True).start()


def start_serve(ui=True, extra=()):
    proc = subprocess.Popen([MOJASIM, "serve", "--free-ports"] + (["--ui"] if ui else ["--json"]) + list(extra), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    children.append(proc)
    if not ui:
        m, text = wait_line(proc.stdout, r"(\{.*\})\n", 30)
        if not m:
            fail("serve printed no topology: " + text)
        drain(proc)
        return json.loads(m.group(1))
    m, text = wait_line(proc.stdout, r"live page (http://\S+)", 30)
    if not m:
        fail("serve --ui printed no page URL: " + text)
    drain(proc)
    return m.group(1)


def start_chromium(chromium, profile):
    args = [chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--no-first-run", "--disable-extensions", "--disable-background-networking", "--hide-scrollbars",
            "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1", "--window-size=1280,720",
            f"--user-data-dir={profile}", "about:blank"]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    children.append(proc)
    m, text = wait_line(proc.stderr, r"DevTools listening on ws://([^/]+)/", 60)
    if not m:
        fail("chromium did not start its DevTools endpoint: " + text[-3000:])
    drain(proc)
    return m.group(1)


def browser_cpu(profile):
    """CPU seconds used so far by the Chromium processes of this profile (read from /proc)."""
    total = 0.0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if profile.encode() not in f.read():
                    continue
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except OSError:
            continue
    return total


def wait_browser_settled(profile, seconds=30):
    """Until the browser has finished starting up and loading the page: under 5 % of a core
    over half a second. A trainer opens the page, then sends the batch; Chromium's own start-up
    work (seconds of CPU on a small machine) is not the page following the batch."""
    deadline = time.monotonic() + seconds
    before, t0 = browser_cpu(profile), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now, t1 = browser_cpu(profile), time.monotonic()
        if (now - before) / (t1 - t0) < 0.05:
            return
        before, t0 = now, t1
    print("  (the browser never settled; measuring anyway)")


def get_json(url, headers=None):
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=30) as r:
        return json.loads(r.read())


def upload_demo_batch(world, count=0):
    """What OpenG2P does: the batch as multipart CSV on the hub's public bulk API (`count` rows
    to the registered payees in turn, or the world's beneficiaries once). The batch id."""
    rows = ["id,request_id,payment_mode,payer_identifier_type,payer_identifier,payee_identifier_type,"
            "payee_identifier,amount,currency,note"]
    people = world["beneficiaries"]
    if count:
        paid = [b for b in people if b["registered"] and b["msisdn"] != "0455510400"]
        people = [paid[i % len(paid)] for i in range(count)]
    for i, b in enumerate(people):
        rows.append(f"{i},browser-test-{i},MOJALOOP,MSISDN,{world['payer']['msisdn']},MSISDN,{b['msisdn']},"
                    f"{b['amount']},{world['currency']},browser test")
    csv = "\r\n".join(rows) + "\r\n"
    boundary = "mojasimbrowsertest"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"data\"; filename=\"test.csv\"\r\n\r\n{csv}"
            f"\r\n--{boundary}--\r\n").encode()
    req = urllib.request.Request(world["hub"]["bulk"], data=body, method="POST", headers={
        "Platform-TenantId": world["tenant"], "Type": "csv", "Purpose": "test", "filename": "test.csv",
        "X-CorrelationID": "browser-test", "Content-Type": f"multipart/form-data; boundary={boundary}"})
    with urllib.request.urlopen(req, timeout=30) as r:
        if r.status != 202:
            fail(f"upload answered {r.status}")
        return json.loads(r.read())["PollingPath"].rsplit("/", 1)[1]


def timed_batch(world, count):
    """Seconds from the upload to the last payment's outcome, read from the hub's operations API."""
    t0 = time.monotonic()
    batch = upload_demo_batch(world, count)
    url = world["hub"]["operations"] + "/api/v1/batch/" + batch
    deadline = t0 + 600
    while time.monotonic() < deadline:
        b = get_json(url, {"Platform-TenantId": world["tenant"]})
        if b["total"] == count and b["ongoing"] == 0:
            if b["successful"] != count:
                fail(f"bench batch: {b['failed']} failed")
            return time.monotonic() - t0
        time.sleep(0.05)
    fail("bench batch did not finish")


def bench(count, rounds):
    """The same batch through `serve` without the page, and through `serve --ui` with the page
    open in headless Chromium, following; alternated `rounds` times."""
    chromium = find_chromium()
    results = {"without the page (serve)": [], "page open and following (serve --ui)": []}
    for _ in range(rounds):
        world = start_serve(ui=False)
        results["without the page (serve)"].append(count / timed_batch(world, count))
        stop_children()
        url = start_serve()
        world = get_json(url + "api/topology")["world"]
        profile = tempfile.mkdtemp(prefix="mojasim-chromium-")
        devtools = start_chromium(chromium, profile)
        target = next(t for t in get_json(f"http://{devtools}/json/list") if t.get("type") == "page")
        page = Page(WebSocket(target["webSocketDebuggerUrl"]))
        page.call("Emulation.setDeviceMetricsOverride", width=1280, height=720, deviceScaleFactor=1, mobile=False)
        page.call("Page.navigate", url=url)
        page.wait_for("document.getElementById('link') && document.getElementById('link').textContent === 'live'", "page")
        wait_browser_settled(profile)
        results["page open and following (serve --ui)"].append(count / timed_batch(world, count))
        page.wait_for("document.getElementById('progress-pct').textContent === '100 %'", "the page at 100 %", 120)
        stats = get_json(url + "api/ui")
        print("  page:", stats)
        stop_children()
        shutil.rmtree(profile, ignore_errors=True)
    for name, figures in results.items():
        print(f"{name}: " + ", ".join(f"{f:,.0f}" for f in figures) + f" payments/s (mean {sum(figures) / len(figures):,.0f})")
    a, b = (sum(v) / len(v) for v in results.values())
    print(f"ratio with/without: {b / a:.2f}")


def stop_children():
    for proc in children:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    for proc in children:
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
    children.clear()


def cell(page, msisdn, cls):
    return page.eval(f"(() => {{ const r = document.querySelector('#rows tr[data-msisdn=\"{msisdn}\"] td.{cls}');"
                     f" return r ? r.textContent : null; }})()")


def position(page, fsp):
    return page.eval(f"(() => {{ const r = document.querySelector('#positions tr[data-fsp=\"{fsp}\"] td.position');"
                     f" return r ? r.textContent : null; }})()")


def slow_browser(count):
    """A browser that follows /events and then stops reading: the server keeps at most its
    bound for it (bytesHeld) and drops the rest (eventsDropped), while the batch completes."""
    # Every message event (no thinning), so the stream outruns a browser that stops reading.
    url = start_serve(extra=["--ui-events", "0"])
    world = get_json(url + "api/topology")["world"]
    m = re.match(r"http://([^:/]+):(\d+)/", url)
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect((m.group(1), int(m.group(2))))
    sock.sendall(f"GET /events HTTP/1.1\r\nHost: {m.group(1)}\r\nAccept: text/event-stream\r\n\r\n".encode())
    head = sock.recv(1024)
    if b" 200 " not in head.split(b"\r\n")[0]:
        fail("GET /events: " + head.decode(errors="replace"))
    seconds = timed_batch(world, count)
    stats = get_json(url + "api/ui")
    print(f"{count} payments in {seconds:.1f} s beside a browser that stopped reading: {stats}")
    if stats["following"] != 1:
        fail("the slow browser should still be following")
    if stats["bytesHeld"] > 256 * 1024 + 512:
        fail(f"the server holds {stats['bytesHeld']} bytes for one browser, over its 256 KiB bound")
    if stats["eventsDropped"] == 0:
        fail("no event was dropped: the browser's socket took everything (make the batch bigger)")
    sock.close()
    stop_children()
    print("PASS: the stream stayed bounded")


def main():
    if MODE == "slow":
        slow_browser(int(SHOT or 4000))
        return
    if MODE == "bench":
        bench(int(SHOT or 10000), int(sys.argv[5]) if len(sys.argv) > 5 else 3)
        return
    chromium = find_chromium()
    if not chromium:
        print("SKIP: no Chromium installed (./tools/install-deps --test installs Debian's chromium)")
        sys.exit(77)
    url = start_serve()
    topology = get_json(url + "api/topology")
    world = topology["world"]
    profile = tempfile.mkdtemp(prefix="mojasim-chromium-")
    try:
        devtools = start_chromium(chromium, profile)
        targets = get_json(f"http://{devtools}/json/list")
        target = next(t for t in targets if t.get("type") == "page")
        page = Page(WebSocket(target["webSocketDebuggerUrl"]))
        page.call("Emulation.setDeviceMetricsOverride", width=1280, height=720, deviceScaleFactor=1, mobile=False)
        page.call("Page.enable")
        page.call("Page.navigate", url=url)
        page.wait_for("document.getElementById('link') && document.getElementById('link').textContent === 'live'"
                      " && document.querySelectorAll('#topology .node').length >= 6", "the page following the world")

        if MODE == "fault":
            page.eval("document.getElementById('fault-choice').value = 'payee-rejects'")
            page.eval("document.getElementById('fault-toggle').click()")
            page.wait_for("document.getElementById('fault-toggle').textContent === 'Fault off'", "the fault switched on")
            payee = next(d for d in world["dfsps"] if d["role"] == "payee")
            rules = get_json(payee["test"] + "/faults")
            if not any(r.get("id") == "ui-payee-rejects" for r in rules):
                fail(f"the bank's test API does not show the page's rule: {rules}")
            page.eval("document.getElementById('send-demo').click()")
        else:
            upload_demo_batch(world)

        page.wait_for("document.getElementById('progress-pct').textContent === '100 %'", "progress 100 %")
        total = len(world["beneficiaries"])
        page.wait_for(f"document.querySelectorAll('#rows tbody tr').length === {total}", "every row listed")
        registered = [b["msisdn"] for b in world["beneficiaries"] if b["registered"]]
        unknown = [b["msisdn"] for b in world["beneficiaries"] if not b["registered"]]
        for m in unknown:
            if not (cell(page, m, "code") or "").startswith("3204"):
                fail(f"{m}: expected 3204 (party not found), the page shows {cell(page, m, 'code')!r}")
        if MODE == "fault":
            if page.eval("document.getElementById('count-failed').textContent") != str(total):
                fail("with the payee rejecting, every payment should fail: " +
                     page.eval("document.querySelector('.counts').innerText"))
            for m in registered:
                if not (cell(page, m, "code") or "").startswith("5104"):
                    fail(f"{m}: expected 5104 from the fault, the page shows {cell(page, m, 'code')!r}")
            page.wait_for("document.querySelector('#positions tr[data-fsp=\"dfsp1\"] td.position').textContent === '0'",
                          "dfsp1's position unchanged (0)")
            page.eval("document.getElementById('fault-toggle').click()")
            page.wait_for("document.getElementById('fault-toggle').textContent === 'Fault on'", "the fault switched off")
            if any(r.get("id") == "ui-payee-rejects" for r in get_json(payee["test"] + "/faults")):
                fail("the rule is still there after switching it off")
            print("PASS: fault switched on from the page, every payment failed with its code, switched off")
        else:
            if not (cell(page, "0455510400", "code") or "").startswith("5104"):
                fail(f"0455510400: expected 5104, the page shows {cell(page, '0455510400', 'code')!r}")
            if page.eval("document.getElementById('count-paid').textContent") != "3":
                fail("3 paid expected: " + page.eval("document.querySelector('.counts').innerText"))
            page.wait_for("document.querySelector('#positions tr[data-fsp=\"dfsp1\"] td.position').textContent === '175.5'",
                          "dfsp1's position 175.5")
            if position(page, "dfsp2") != "-175.5":
                fail(f"dfsp2's position: {position(page, 'dfsp2')!r}")
            if MODE == "screenshot":
                page.eval("document.querySelector('#rows tr[data-msisdn=\"0455510400\"]').click()")
                page.wait_for("document.querySelectorAll('#story li').length > 4", "the story of the rejected payment")
            print("PASS: progress 100 %, 3 paid, 3204 and 5104 shown, positions 175.5 / -175.5")
        if SHOT:
            # Let the last animation frame settle on the page's own clock: wait for its queue to drain.
            page.wait_for("document.querySelectorAll('#topology .dot').length === 0", "animations finished", 30)
            shot = page.call("Page.captureScreenshot", format="png",
                             clip={"x": 0, "y": 0, "width": 1280, "height": 720, "scale": 1})
            with open(SHOT, "wb") as f:
                f.write(base64.b64decode(shot["data"]))
            print("screenshot:", SHOT)
    finally:
        for proc in children:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in children:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(profile, ignore_errors=True)
    serve_rc = children[0].returncode if children else 0
    if serve_rc != 0:
        fail(f"serve --ui exited with {serve_rc}")


if __name__ == "__main__":
    main()
