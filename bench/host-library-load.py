#!/usr/bin/env python3
"""Loading a large compiled library in a fresh host process, as a pupil's machine does at start-up.

Usage: bench/host-library-load.py [phrases] [path/to/esafe-host]   (default 100000 and artifacts/host/esafe-host;
publish it first with ./build.sh --target=Publish-Host). Writes the benchmark workload's phrase set compiled
(bench/eSafe.Benchmarks -- write-library), then times `esafe-host scan --library FILE` with empty input in
fresh processes, against the same command with the built-in library: the difference is what loading the large
library costs a new process (reading the file, checking it, and the first touch of its memory). The file is
in the OS page cache after the first run, so this is cold for the process, not for the disk.
"""
import os, statistics, subprocess, sys, tempfile, time

phrases = sys.argv[1] if len(sys.argv) > 1 else "100000"
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
host = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else os.path.join(root, "artifacts", "host", "esafe-host"))
library = os.path.join(tempfile.mkdtemp(prefix="esafe-library-load-"), f"bench-{phrases}.eslib")
subprocess.run(["dotnet", "run", "-c", "Release", "--project", os.path.join(root, "bench", "eSafe.Benchmarks"), "--",
                "write-library", phrases, library], check=True, stdout=subprocess.DEVNULL)


def run(args):
    """Wall time in ms and peak RSS in KB of one fresh process."""
    began = time.perf_counter()
    process = subprocess.Popen([host, "scan", *args], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = (time.perf_counter() - began) * 1000
    if status != 0:
        sys.exit(f"esafe-host scan {' '.join(args)} failed ({status})")
    return elapsed, usage.ru_maxrss


def measure(args, rounds=15):
    run(args)  # the file into the page cache, the binary too
    results = [run(args) for _ in range(rounds)]
    return statistics.median(t for t, _ in results), min(t for t, _ in results), max(r for _, r in results)


built_in = measure([])
large = measure(["--library", library])
print(f"library file: {os.path.getsize(library) / 1e6:.1f} MB, {phrases} phrases")
print(f"{'':32} {'median ms':>10} {'best ms':>8} {'peak RSS MB':>12}")
print(f"{'scan, built-in library':32} {built_in[0]:10.1f} {built_in[1]:8.1f} {built_in[2] / 1024:12.1f}")
print(f"{'scan --library ' + phrases:32} {large[0]:10.1f} {large[1]:8.1f} {large[2] / 1024:12.1f}")
print(f"{'loading it costs a new process':32} {large[0] - built_in[0]:10.1f} {large[1] - built_in[1]:8.1f} {(large[2] - built_in[2]) / 1024:12.1f}")
