"""The same load through the native PostgreSQL destination and through a Singer target.

Each run gets a fresh copy of the project and an empty schema; wall time includes the
target's own work (connector commits when the target has confirmed). Asserts nothing."""
import json, os, shutil, subprocess, sys, tempfile, time, urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from sandbox_process import sandbox

binary, scale = os.path.abspath(sys.argv[1]), int(sys.argv[2])
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
target = os.path.join(root, ".build/singer-venv/pipelinewise-target-postgres/bin/target-postgres")
url = urllib.parse.urlparse(os.environ["CONNECTOR_POSTGRES_URL"])
singer_yaml = f"""type: singer
command: [{target}]
config: {{host: 127.0.0.1, port: {url.port}, user: postgres, password: unused, dbname: postgres,
         default_target_schema: singer_bench, primary_key_required: false}}
"""


def run(destination, env):
    work = tempfile.mkdtemp(prefix="connector-bench-singer-")
    shutil.copy(os.path.join(root, "sources.yaml"), work)
    shutil.copytree(os.path.join(root, "destinations"), os.path.join(work, "destinations"))
    with open(os.path.join(work, "destinations", "singer_postgres.yaml"), "w") as f:
        f.write(singer_yaml)
    start = time.monotonic()
    done = subprocess.run([binary, "run", "--project", work, "clari_core", "clari_copilot", "clari_forecast",
                           "--json", "--destination", destination], cwd=work, env=env, capture_output=True, text=True)
    wall = time.monotonic() - start
    reports = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    rows = sum(r["rows"] for r in reports)
    if done.returncode != 0:
        print(done.stderr[-2000:], file=sys.stderr)
    print(f"  {destination:<16} exit {done.returncode}  {rows:>9} rows  {wall:7.2f} s wall  {rows / wall:>9,.0f} rows/s")
    shutil.rmtree(work, ignore_errors=True)


print(f"scale {scale}, {os.path.basename(os.path.dirname(binary))} build")
for destination in ["postgres", "singer_postgres"]:
    with sandbox(binary, scale) as (base, copilot_base):
        env = dict(os.environ, CLARI_API_BASE=base, CLARI_COPILOT_BASE=copilot_base + "/copilot",
                   CLARI_API_KEY="sandbox-api-key", CLARI_PARTNER_KEY="sandbox-partner-key",
                   CLARI_COPILOT_API_KEY="sandbox-copilot-key", CLARI_COPILOT_API_PASSWORD="sandbox-copilot-password",
                   CLARI_FORECAST_IDS="1001,1002,1003", CLARI_INGEST_JOB_IDS="ingest-1,ingest-2,ingest-3",
                   CLARI_EXPORT_POLL_INTERVAL="50ms", CLARI_RATE_LIMIT="0")
        run(destination, env)
