# html_report.py MOJASIM SRC: `run --html` and `demo --html` write one self-contained page
# (nothing fetched: no http(s) script, stylesheet, image or font), with every expectation
# (expected and actual), every payment's outcome, the positions and each failed payment's
# story diagram; `--sequence-style story|overview` write the story and the batch's page as
# Mermaid text.
import html.parser, os, re, subprocess, sys, tempfile

mojasim, src = sys.argv[1], sys.argv[2]
tmp = tempfile.mkdtemp(prefix="mojasim-html-")
demo = os.path.join(src, "scenarios", "demo.yaml")
wrong = os.path.join(src, "tests", "cli", "wrong-expectation.yaml")


class Page(html.parser.HTMLParser):
    """Collects what a browser would fetch and the rows of each table by class."""

    def __init__(self):
        super().__init__()
        self.fetched, self.tables, self.table, self.row, self.cell = [], {}, None, None, None
        self.svgs = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("src", "href", "xlink:href", "data"):
            if key in a and a[key] and not a[key].startswith("#"):
                self.fetched.append((tag, a[key]))
        if tag == "link" or (tag == "script" and "src" in a):
            self.fetched.append((tag, a.get("href") or a.get("src")))
        if tag == "svg":
            self.svgs += 1
        if tag == "table":
            self.table = self.tables.setdefault(a.get("class", ""), [])
        elif tag == "tr" and self.table is not None:
            self.row = []
            self.table.append(self.row)
        elif tag in ("td", "th") and self.row is not None:
            self.cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.row is not None and self.cell is not None:
            self.row.append(self.cell.strip())
            self.cell = None
        elif tag == "table":
            self.table = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def check_page(path, text):
    assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", text, re.I), "fetches something"
    assert not re.search(r"url\(\s*[\"']?https?:", text, re.I), "CSS fetches something"
    assert "<script" not in text.lower(), "a script"
    p = Page()
    p.feed(text)
    assert p.fetched == [], p.fetched
    return p


# 1. run --html: a passing and a failing scenario in one page; exit 1 as without it.
page = os.path.join(tmp, "report.html")
r = subprocess.run([mojasim, "run", demo, wrong, "--color", "never", "--html", page, "--seed", "7"],
                   capture_output=True, text=True, timeout=120)
assert r.returncode == 1, (r.returncode, r.stdout, r.stderr)
text = open(page, encoding="utf-8").read()
p = check_page(page, text)
assert "1 passed, 1 failed" in text
rows = [row for row in p.tables["expectations"] if len(row) == 5 and row[1] != "expectation"]
# Every expectation of both files, each with expected and actual.
assert len(rows) == 15 + 1, len(rows)
subjects = {row[1]: row for row in rows}
for s in ("batch.total", "batch.successful", "payment.0499000404.error", "payment.0455510400.error",
          "positions.dfsp1", "positions.dfsp2", "blocked.dfsp1"):
    assert s in subjects, s
assert subjects["payment.0455510400.error"][2:4] == ["5104", "5104"], subjects["payment.0455510400.error"]
failing = [row for row in rows if row[0] == "\u2717"]
assert len(failing) == 1 and failing[0][1:4] == ["batch.successful", "2", "1"], failing
# Each payment's outcome and the positions.
payments = {row[0]: row for row in p.tables["payments"] if row[0] != "beneficiary"}
assert payments["0499000404"][3] == "failed: 3204 Party not found", payments
assert payments["0455510400"][3] == "failed: 5104 Payee rejected transaction", payments
assert payments["0495822412"][3] == "paid 50.00 USD", payments
positions = [row for row in p.tables["positions"] if row[0] != "bank"]
assert ["dfsp1", "175.5"] in positions and ["dfsp2", "-175.5"] in positions, positions
# The failed payments' stories: drawn (SVG) with the error code, Mermaid text beside.
assert "Failed payment: 0499000404" in text and "Failed payment: 0455510400" in text
assert "Failed payment: 0495822412" not in text
assert "error 5104 Payee rejected transaction" in text
assert "Outcome: failed: 5104 Payee rejected transaction" in text
assert "sequenceDiagram" in text and "<details>" in text
# Two overviews (one per scenario) and two failed payments' stories.
assert p.svgs == 2 + 2, p.svgs

# 2. demo --html.
page = os.path.join(tmp, "demo.html")
r = subprocess.run([mojasim, "demo", "--color", "never", "--html", page], capture_output=True, text=True, timeout=120)
assert r.returncode == 0, (r.returncode, r.stdout, r.stderr)
p = check_page(page, open(page, encoding="utf-8").read())
assert p.svgs == 3, p.svgs

# 3. An unwritable --html path is exit 2 before anything runs.
r = subprocess.run([mojasim, "demo", "--color", "never", "--html", "/nonexistent-dir/x.html"],
                   capture_output=True, text=True, timeout=60)
assert r.returncode == 2 and "--html /nonexistent-dir/x.html" in r.stderr and "PASS" not in r.stdout, r

# 4. --sequence-style: the story folds the acknowledgements; the overview counts the batch.
seq = os.path.join(tmp, "story.md")
r = subprocess.run([mojasim, "demo", "--color", "never", "--sequence", seq, "--payment", "0455510400",
                    "--sequence-style", "story"], capture_output=True, text=True, timeout=60)
assert r.returncode == 0, r
story = open(seq).read()
assert re.search(r"-->>\w+: 20[02]\n", story) is None, story
assert "participant switch as Mojaloop switch" in story, story
assert "dfsp2-xswitch: error 5104 Payee rejected transaction" in story, story
assert story.index("Lookup") < story.index("Quote") < story.index("Transfer"), story
assert story.rstrip().endswith("Outcome: failed: 5104 Payee rejected transaction"), story
r = subprocess.run([mojasim, "demo", "--color", "never", "--sequence", seq, "--sequence-style", "overview"],
                   capture_output=True, text=True, timeout=60)
assert r.returncode == 0, r
overview = open(seq).read()
assert "hub->>dfsp1: pay (x5)" in overview, overview
assert "Outcome: 3 paid (175.50 USD), 2 failed (3204 x1, 5104 x1)" in overview, overview
print("html report ok")
