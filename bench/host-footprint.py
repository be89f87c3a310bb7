#!/usr/bin/env python3
"""What the native host costs a pupil's machine: binary size, time to the first reply, idle memory.

Usage: bench/host-footprint.py [path/to/esafe-host]   (default artifacts/host/esafe-host;
publish it first with ./build.sh --target=Publish-Host). Runs the host as Chrome would, speaking native
messaging on its standard input and output, in a scratch state folder, unconfigured (no server).
"""
import json, os, statistics, struct, subprocess, sys, tempfile, time

host = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "artifacts", "host", "esafe-host")
host = os.path.abspath(host)
state = tempfile.mkdtemp(prefix="esafe-footprint-")
env = dict(os.environ, ESAFE_HOST_STATE_DIR=state)
hello = json.dumps({"type": "hello", "protocol": 1, "extensionVersion": "bench", "account": None}).encode()


def frame(payload):
    return struct.pack("=I", len(payload)) + payload


def start():
    return subprocess.Popen([host, "chrome-extension://hiipfkacdajbinoadfgohldjcebaoijj/"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)


def first_reply_ms():
    began = time.perf_counter()
    process = start()
    process.stdin.write(frame(hello))
    process.stdin.flush()
    length = struct.unpack("=I", process.stdout.read(4))[0]
    process.stdout.read(length)
    elapsed = (time.perf_counter() - began) * 1000
    process.stdin.close()
    process.wait()
    return elapsed


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


times = [first_reply_ms() for _ in range(20)]
idle = start()
idle.stdin.write(frame(hello))
idle.stdin.flush()
idle.stdout.read(struct.unpack("=I", idle.stdout.read(4))[0])
time.sleep(2)
memory = rss_kb(idle.pid)
idle.stdin.close()
idle.wait()

print(f"binary size:            {os.path.getsize(host) / 1024 / 1024:.1f} MB")
print(f"start to first reply:   median {statistics.median(times):.1f} ms, max {max(times):.1f} ms (20 runs)")
print(f"idle memory (RSS):      {memory / 1024:.1f} MB")
