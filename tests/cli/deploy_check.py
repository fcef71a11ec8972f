# deploy_check.py MOJASIM SOURCE_DIR MALLOC: the image, compose and Kubernetes files agree with
# the program and with CI, checked without a container engine:
#  - the Dockerfile's build stage installs tools/install-deps' packages and runs tools/test's
#    cmake commands; its runtime stage installs exactly the packages of the shared libraries
#    the binary links (beyond Debian slim's own), runs as a non-root user, `mojasim` as entrypoint;
#    MALLOC (cmake's MOJASIM_MALLOC: tcmalloc or glibc) is the allocator this build of MOJASIM
#    was configured with: the image's is tcmalloc, a build on glibc's lacks its package;
#  - compose.yaml and deploy/k8s/*.yaml parse; every actor's command uses only options
#    `mojasim serve X --help` lists, its config file exists, its published/declared ports are
#    the ports it is told to listen on, its environment variables are ones the command reads,
#    and every peer URL names a service and a port that service listens on.
import glob
import os
import re
import shlex
import subprocess
import sys

import yaml

MOJASIM, SOURCE, MALLOC = sys.argv[1], sys.argv[2], sys.argv[3]
# The runtime package of the image's allocator (tools/CMakeLists.txt links tcmalloc_minimal).
TCMALLOC_PACKAGE = "libtcmalloc-minimal4"
PORT_FLAGS = ("--fspiop-port", "--admin-port", "--connector-port", "--test-port", "--bulk-port", "--ops-port")
problems = []


def check(ok, what):
    if not ok:
        problems.append(what)


def read(path):
    with open(os.path.join(SOURCE, path)) as f:
        return f.read()


# -- Dockerfile ---------------------------------------------------------------------------
docker = read("Dockerfile")
stages = re.split(r"^FROM ", docker, flags=re.M)[1:]
check(len(stages) == 2, "the Dockerfile has two stages")
build, runtime = stages[0], stages[1]
check(build.startswith("debian:12 "), "the build stage is Debian 12")
check(runtime.startswith("debian:12-slim"), "the runtime stage is Debian 12 slim")


def apt_packages(stage):
    m = re.search(r"apt-get install[^\n]*?((?:\\\n|[^\n])*)", stage)
    words = m.group(1).replace("\\\n", " ").split("&&")[0].split() if m else []
    return {w for w in words if not w.startswith("-")}


install_deps = read("tools/install-deps")
ci_packages = set(re.search(r"^packages=\(\s*(.*?)\)", install_deps, re.S | re.M).group(1).split())
check(apt_packages(build) == ci_packages,
      f"Dockerfile build packages {sorted(apt_packages(build) ^ ci_packages)} differ from tools/install-deps")
ci_script = read("tools/test")
for run in re.findall(r"^RUN (cmake .*)$", build, re.M):
    words = run.split()
    if words[1] == "--build":
        check(re.search(r"cmake --build build( |$)", ci_script) is not None, f"tools/test does not run `{run}`")
    else:
        check(run in ci_script, f"tools/test does not run `{run}`")
check(len(re.findall(r"^RUN cmake", build, re.M)) == 2, "the build stage configures and builds with cmake")

# The runtime stage: the packages owning the binary's shared libraries, minus slim's own.
base = {"libc6", "libgcc-s1", "libstdc++6"}
needed = set()
for line in subprocess.run(["ldd", MOJASIM], capture_output=True, text=True, check=True).stdout.splitlines():
    parts = line.split("=>")
    if len(parts) != 2 or not parts[1].split() or not parts[1].split()[0].startswith("/"):
        continue
    lib = parts[1].split()[0]
    owner = subprocess.run(["dpkg", "-S", os.path.realpath(lib)], capture_output=True, text=True)
    if owner.returncode != 0:
        owner = subprocess.run(["dpkg", "-S", lib], capture_output=True, text=True)
    check(owner.returncode == 0, f"no package owns {lib}")
    if owner.returncode == 0:
        needed.add(owner.stdout.split(":")[0])
needed -= base
# The binary links the allocator its build was configured with, and the image is built on
# tcmalloc; a build on glibc's malloc (the sanitizer builds, -DMOJASIM_TCMALLOC=OFF) is checked
# as if it had tcmalloc's package too.
check(MALLOC in ("tcmalloc", "glibc"), f"MALLOC is {MALLOC!r}, not tcmalloc or glibc")
check((TCMALLOC_PACKAGE in needed) == (MALLOC == "tcmalloc"),
      f"the binary links {'tcmalloc' if TCMALLOC_PACKAGE in needed else 'glibc malloc'}, its build says {MALLOC}")
check(TCMALLOC_PACKAGE in apt_packages(runtime), f"the runtime stage does not install {TCMALLOC_PACKAGE}")
if MALLOC == "glibc":
    needed.add(TCMALLOC_PACKAGE)
# The image holds the Release build; a sanitizer (Debug) build links more (its runtimes, Boost's
# container library), so against it only "every runtime package is needed" is checked.
if any(p.startswith(("libasan", "libubsan")) for p in needed):
    check(apt_packages(runtime) <= needed,
          f"runtime packages {sorted(apt_packages(runtime) - needed)} are not the binary's libraries'")
else:
    check(apt_packages(runtime) == needed,
          f"runtime packages {sorted(apt_packages(runtime))} != the binary's libraries' {sorted(needed)}")
user = re.search(r"^USER (\S+)", runtime, re.M)
check(user is not None and user.group(1) not in ("0", "root"), "the runtime stage runs as a non-root user")
check(re.search(r'^ENTRYPOINT \["mojasim"\]', runtime, re.M) is not None, "the entrypoint is mojasim")


# -- commands ------------------------------------------------------------------------------
help_cache = {}


def help_of(sub):
    if sub not in help_cache:
        res = subprocess.run([MOJASIM, "serve", sub, "--help"], capture_output=True, text=True)
        check(res.returncode == 0, f"mojasim serve {sub} --help fails")
        help_cache[sub] = res.stdout
    return help_cache[sub]


def check_command(where, args, env_names):
    """The actor's command line; returns (actor kind, the ports it listens on)."""
    check(args[:1] == ["serve"] and len(args) > 1 and args[1] in ("switch", "dfsp", "hub"),
          f"{where}: the command is `serve switch|dfsp|hub`: {args}")
    sub = args[1]
    text = help_of(sub)
    flags = set(re.findall(r"^\s+(--[a-z-]+)", text, re.M))
    envs = set(re.findall(r"\(Env:([A-Z_]+)\)", text))
    ports = set()
    i = 2
    while i < len(args):
        a = args[i]
        check(a in flags, f"{where}: `mojasim serve {sub} --help` has no {a}")
        takes_value = a != "--json"
        value = args[i + 1] if takes_value and i + 1 < len(args) else None
        if a == "--config":
            check(value is not None and os.path.isfile(os.path.join(SOURCE, value)), f"{where}: no file {value}")
        if a in PORT_FLAGS:
            ports.add(int(value))
        i += 2 if takes_value else 1
    for name in env_names:
        check(name in envs, f"{where}: `mojasim serve {sub}` reads no {name}")
    return sub, ports


def check_peers(where, env, listening):
    for name, value in env.items():
        m = re.match(r"http://([a-z0-9-]+):(\d+)$", str(value))
        if not m:
            continue
        host, port = m.group(1), int(m.group(2))
        check(host in listening and port in listening[host], f"{where}: {name}={value}: no such service port")


# -- compose.yaml --------------------------------------------------------------------------
compose = yaml.safe_load(read("compose.yaml"))
services = compose["services"]
check(set(services) == {"switch", "dfsp1", "dfsp2", "hub"}, f"compose services: {sorted(services)}")
listening = {}
for name, svc in services.items():
    env = svc.get("environment", {})
    _, ports = check_command(f"compose {name}", svc["command"], env)
    listening[name] = ports
    published = {int(p.split(":")[1]) for p in svc.get("ports", [])}
    check(published == ports, f"compose {name}: publishes {sorted(published)}, listens on {sorted(ports)}")
    check("build" in svc or svc.get("image") == services["switch"].get("image"), f"compose {name}: not the image")
for name, svc in services.items():
    check_peers(f"compose {name}", svc.get("environment", {}), listening)

# -- deploy/k8s ----------------------------------------------------------------------------
docs = []
for path in sorted(glob.glob(os.path.join(SOURCE, "deploy", "k8s", "*.yaml"))):
    with open(path) as f:
        docs += [(os.path.basename(path), d) for d in yaml.safe_load_all(f) if d]
deployments = {d["metadata"]["name"]: (f, d) for f, d in docs if d["kind"] == "Deployment"}
k8s_services = {d["metadata"]["name"]: (f, d) for f, d in docs if d["kind"] == "Service"}
check(set(deployments) == {"switch", "dfsp1", "dfsp2", "hub"}, f"k8s deployments: {sorted(deployments)}")
check(set(k8s_services) == set(deployments), f"k8s services: {sorted(k8s_services)}")
k8s_listening = {}
for name, (f, d) in deployments.items():
    spec = d["spec"]["template"]["spec"]
    check(spec.get("securityContext", {}).get("runAsNonRoot") is True, f"{f}: runAsNonRoot")
    (c,) = spec["containers"]
    env = {e["name"]: e["value"] for e in c.get("env", [])}
    _, ports = check_command(f"{f} {name}", c["args"], env)
    named = {p["name"]: p["containerPort"] for p in c["ports"]}
    check(set(named.values()) == ports, f"{f}: containerPorts {sorted(named.values())}, listens on {sorted(ports)}")
    for probe in ("readinessProbe", "livenessProbe"):
        p = c.get(probe)
        check(p is not None, f"{f}: no {probe}")
        if p:
            target = (p.get("httpGet") or p.get("tcpSocket") or {}).get("port")
            check(target in named or target in ports, f"{f}: {probe} on unknown port {target}")
    check(c["readinessProbe"].get("httpGet", {}).get("path") == "/health", f"{f}: readiness is not GET /health")
    selector = d["spec"]["selector"]["matchLabels"]
    sf, svc = k8s_services[name]
    check(svc["spec"]["selector"] == selector, f"{sf}: the Service does not select the Deployment's pods")
    k8s_listening[name] = set()
    for sp in svc["spec"]["ports"]:
        check(sp["targetPort"] in named, f"{sf}: targetPort {sp['targetPort']} is no container port")
        check(named.get(sp["targetPort"]) == sp["port"], f"{sf}: port {sp['port']} != container port")
        k8s_listening[name].add(sp["port"])
for name, (f, d) in deployments.items():
    (c,) = d["spec"]["template"]["spec"]["containers"]
    check_peers(f"{f} {name}", {e["name"]: e["value"] for e in c.get("env", [])}, k8s_listening)

for p in problems:
    print("problem:", p)
sys.exit(1 if problems else 0)
