"""hyperfine-style wall-clock timing of a command: timeit.py RUNS [--setup CMD] -- CMD ARGS...

Runs the setup (untimed, through the shell) before each run, discards output, and prints a JSON
line with every run time and min / median / max in seconds. Fails if the command fails.
"""
import json
import statistics
import subprocess
import sys
import time

runs = int(sys.argv[1])
args = sys.argv[2:]
setup = None
if args and args[0] == "--setup":
    setup, args = args[1], args[2:]
if args and args[0] == "--":
    args = args[1:]
times = []
for _ in range(runs):
    if setup:
        subprocess.run(setup, shell=True, check=True, stdout=subprocess.DEVNULL)
    t = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times.append(time.perf_counter() - t)
print(json.dumps({"cmd": " ".join(args), "runs": times, "min": min(times),
                  "median": statistics.median(times), "max": max(times)}))
