# port_clash.py MOJASIM: `mojasim serve` on a taken port exits 1 naming the actor and its ports.
# The test holds 4000 (the switch's FSPIOP port); if another process holds it, the clash is the same.
import socket, subprocess, sys

held = socket.socket()
try:
    held.bind(("127.0.0.1", 4000))
    held.listen()
except OSError:
    pass  # taken already: still a clash
p = subprocess.run([sys.argv[1], "serve"], capture_output=True, text=True, timeout=60)
out = p.stdout + p.stderr
assert p.returncode == 1, (p.returncode, out)
assert "switch cannot listen on port(s) FSPIOP 4000, Admin 4001: Address already in use" in out, out
print("port clash ok")
