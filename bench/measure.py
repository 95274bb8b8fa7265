"""Runs one benchmark: sandbox process + `connector run` of the three Clari pipelines.

Prints figures; asserts nothing (speed targets live here, not in unit tests)."""
import json, os, shutil, subprocess, sys, tempfile, time
from sandbox_process import sandbox

binary, scale, faults = os.path.abspath(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
destination = sys.argv[4] if len(sys.argv) > 4 else "sqlite"
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

with sandbox(binary, scale, faults) as (base, copilot_base):
    env = dict(os.environ, CLARI_API_BASE=base, CLARI_COPILOT_BASE=copilot_base + "/copilot",
               CLARI_API_KEY="sandbox-api-key", CLARI_PARTNER_KEY="sandbox-partner-key",
               CLARI_COPILOT_API_KEY="sandbox-copilot-key", CLARI_COPILOT_API_PASSWORD="sandbox-copilot-password",
               CLARI_FORECAST_IDS="1001,1002,1003", CLARI_INGEST_JOB_IDS="ingest-1,ingest-2,ingest-3",
               CLARI_EXPORT_POLL_INTERVAL="50ms", CLARI_EXPORT_POLL_MAX_INTERVAL="50ms", CLARI_RATE_LIMIT="0")
    # Export jobs are polled every 50 ms, without the production back-off (1 s doubling to 30 s):
    # the sandbox finishes a job after a number of polls, not of seconds, and dlt's side
    # (dlt_clari.py) polls every 50 ms too, so both tools wait the same.
    work = tempfile.mkdtemp(prefix="connector-bench-")
    # A copy of the project: relative data/ paths resolve against the project folder, and every
    # measurement must start from an empty destination.
    shutil.copy(os.path.join(root, "sources.yaml"), work)
    shutil.copytree(os.path.join(root, "destinations"), os.path.join(work, "destinations"))
    out, err = tempfile.TemporaryFile(mode="w+"), tempfile.TemporaryFile(mode="w+")
    start = time.monotonic()
    # BENCH_WRAP: a command the run goes through (bench/instructions puts callgrind there).
    wrap = os.environ.get("BENCH_WRAP", "").split()
    child = subprocess.Popen(wrap + [binary, "run", "--project", work, "clari_core", "clari_copilot", "clari_forecast", "--json",
                              "--destination", destination],
                             cwd=work, env=env, stdout=out, stderr=err)
    _, status, usage = os.wait4(child.pid, 0)   # this child's own peak RSS, nothing else's
    wall = time.monotonic() - start
    peak_mb = usage.ru_maxrss / 1024
    out.seek(0); err.seek(0)
    run = subprocess.CompletedProcess(child.args, os.waitstatus_to_exitcode(status), out.read(), err.read())
    # The network floor: the same GETs, same concurrency, bodies discarded.
    import urllib.request
    log = json.load(urllib.request.urlopen(base + "/_sandbox/requests"))
    try:
        jobs = json.load(urllib.request.urlopen(base + "/_sandbox/jobs"))
    except OSError:   # a build from before the sandbox reported its jobs
        jobs = None
    gets = [(copilot_base if line.startswith("GET /copilot/") else base) + line[4:] for line in log if line.startswith("GET ")]
    urls = os.path.join(work, "urls.txt")
    with open(urls, "w") as f:
        f.write("\n".join(gets))
    headers = ["apikey:sandbox-api-key", "partnerkey:sandbox-partner-key",
               "X-Api-Key:sandbox-copilot-key", "X-Api-Password:sandbox-copilot-password"]
    floor_run = subprocess.run([binary, "replay", urls, "--concurrency", "8"] + sum([["--header", h] for h in headers], []),
                               capture_output=True, text=True)
    floor = json.loads(floor_run.stdout) if floor_run.returncode == 0 else None
    # The project copy holds the loaded SQLite files (~70 MB at scale 20): a batch of runs left
    # them by the hundred in /tmp (22 GB once), and a full disk fails later runs for no reason.
    shutil.rmtree(work, ignore_errors=True)

if run.returncode != 0:
    print(run.stdout[-2000:], run.stderr[-2000:], file=sys.stderr)
reports = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
rows = sum(r["rows"] for r in reports)
mb = sum(r["bytes"] for r in reports) / 1_048_576
requests = sum(r["requests"] for r in reports)
print(f"scale {scale}, faults {faults}, destination {destination}: exit {run.returncode}")
for r in reports:
    print(f"  {r['pipeline']:<15} {r['rows']:>9} rows  {r['seconds']:7.2f} s  {r['requests']:>6} requests  {r['retries']:>4} retries")
print(f"  total           {rows:>9} rows  {wall:7.2f} s wall  {requests} requests")
# admin/limits lists the export jobs in flight when clari_core asks, while clari_forecast submits
# its exports: that child table holds 0-3 rows by timing, so totals of runs differ by up to 3
# (scale 5: 82,129-82,132) in every destination with no row lost or doubled.
in_flight = sum(x["rows"].get("admin_limits__running_job_ids", 0) for r in reports for x in r.get("resources", []))
print(f"  of which {in_flight} rows (0-3, by timing): export jobs in flight when admin/limits was asked")
print(f"  rows/s {rows / wall:,.0f}   MB/s {mb / wall:.1f} ({mb:.1f} MB of JSON)   peak RSS {peak_mb:.0f} MB")
cpu = usage.ru_utime + usage.ru_stime
print(f"  CPU {cpu:.2f} s (user + sys), {cpu / rows * 100_000:.2f} CPU-s per 100k rows")
# The export-job floor: the sandbox ends a job at its N-th status poll and keeps at most L in
# flight, so with polls 50 ms apart no client finishes J jobs in under ceil(J / L) × (N − 1) × 50 ms,
# however fast it is. At scale 1 this chain, not the data, sets connector's wall (clari_forecast).
poll_interval = 0.05
if jobs and jobs["created"]:
    job_waves = -(-jobs["created"] // jobs["concurrent_limit"])
    job_floor = job_waves * (jobs["polls_until_done"] - 1) * poll_interval
    print(f"  export-job floor: {jobs['created']} jobs, <= {jobs['concurrent_limit']} in flight, done at poll "
          f"{jobs['polls_until_done']}, polls {poll_interval * 1000:.0f} ms apart: {job_floor:.2f} s for any client; "
          f"connector/job floor = {wall / job_floor:.2f}")
if floor:
    print(f"  network floor: {floor['requests']} GETs, {floor['bytes'] / 1_048_576:.1f} MB in {floor['seconds']:.2f} s "
          f"(concurrency 8: the pipelines run side by side, 4 per origin); connector/floor = {wall / floor['seconds']:.2f}")
if os.environ.get("BENCH_RESULTS") and run.returncode == 0:
    with open(os.environ["BENCH_RESULTS"], "a") as f:
        f.write(json.dumps({"tool": "connector", "destination": destination, "scale": scale, "rows": rows,
                            "wall": wall, "cpu": cpu, "peak_mb": peak_mb}) + "\n")
