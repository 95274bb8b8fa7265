"""dlt's side of bench/compare: a fresh sandbox, bench/dlt_clari.py under its own peak-RSS
measurement, then the ratio against connector's figures from measure.py's output."""
import json, os, re, shutil, subprocess, sys, tempfile, time
from sandbox_process import sandbox

binary, scale, python, ours_file = os.path.abspath(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
here = os.path.dirname(os.path.abspath(__file__))
with sandbox(binary, scale) as (base, copilot_base):
    work = tempfile.mkdtemp(prefix="connector-bench-dlt-")
    out = tempfile.TemporaryFile(mode="w+")
    start = time.monotonic()
    child = subprocess.Popen([python, os.path.join(here, "dlt_clari.py"), base, copilot_base, work],
                             stdout=out, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.monotonic() - start
    shutil.rmtree(work, ignore_errors=True)   # dlt's DuckDB file and its pipeline folder
out.seek(0)
lines = [l for l in out.read().splitlines() if l.startswith("{")]
if status != 0 or not lines:
    sys.exit(f"dlt run failed (status {status})")
rows = json.loads(lines[-1])["rows"]
peak = usage.ru_maxrss / 1024
cpu = usage.ru_utime + usage.ru_stime
if os.environ.get("BENCH_RESULTS"):
    with open(os.environ["BENCH_RESULTS"], "a") as f:
        f.write(json.dumps({"tool": "dlt", "destination": "duckdb", "scale": scale, "rows": rows,
                            "wall": wall, "cpu": cpu, "peak_mb": peak}) + "\n")
print(f"dlt 1.31 rest_api → duckdb, scale {scale}: {rows} rows in {wall:.2f} s wall, {rows / wall:,.0f} rows/s, peak RSS {peak:.0f} MB, "
      f"CPU {cpu:.1f} s ({cpu / rows * 100_000:.2f} CPU-s per 100k rows)")
ours = open(ours_file).read()
m = re.search(r"total\s+(\d+) rows\s+([\d.]+) s wall", ours)
if m:
    our_rows, our_wall = int(m.group(1)), float(m.group(2))
    print(f"dlt/connector wall = {wall / our_wall:.1f}x; connector rows/s / dlt rows/s = {(our_rows / our_wall) / (rows / wall):.1f}x "
          f"(dlt skips the 3-row ingest resource: it has no list partitions)")
    j = re.search(r"export-job floor: .*: ([\d.]+) s for any client", ours)
    if j:
        # A tool that took no time beyond the export jobs' own floor would reach this ratio.
        print(f"  the export-job floor ({float(j.group(1)):.2f} s) bounds dlt/connector at {wall / float(j.group(1)):.1f}x "
              f"for any tool polling every 50 ms")
