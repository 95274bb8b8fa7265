"""The realistic benchmark: the three Clari pipelines against a sandbox with per-host latency
and enforced rate limits, with the limits declared in sources.yaml and without (learned from
429s and rate-limit headers). Prints wall, requests and 429s per host, the limit floor, and
requests per resource against the minimum a hand-written client would make.

Usage: realistic.py CLIENT_BINARY SANDBOX_BINARY SCALE [MODE ...]
MODE: declared | learned (429s and X-RateLimit-* headers) | learned-429 (bare 429s with Retry-After only).
Asserts nothing; the figures are for a person (and the issue's closing note)."""
import json, math, os, shutil, subprocess, sys, tempfile, time, urllib.error, urllib.parse, urllib.request
from sandbox_process import sandbox

RATE = 10            # requests per second per host, like Copilot's documented limit
# The largest page each list endpoint allows (shared/clari-api.md; the sandbox answers 400 above them).
MAX_PAGE = {"audit_events": 1000, "calls": 100, "scorecards": 100}
LATENCY = (0.08, 0.30)  # seconds, drawn per request
POLLS = 3            # status polls the sandbox's export jobs take (its default)
JOB_SLOTS = 3        # forecast exports in flight at once (sources.yaml's max_concurrent)
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(client, sandbox_binary, scale, mode):
    extra = ["--latency", f"{int(LATENCY[0] * 1000)}-{int(LATENCY[1] * 1000)}ms", "--rate-limit", str(RATE)]
    if mode != "learned-429":
        extra.append("--rate-limit-headers")
    with sandbox(sandbox_binary, scale, extra=extra) as (base, copilot_base):
        env = dict(os.environ, CLARI_API_BASE=base, CLARI_COPILOT_BASE=copilot_base + "/copilot",
                   CLARI_API_KEY="sandbox-api-key", CLARI_PARTNER_KEY="sandbox-partner-key",
                   CLARI_COPILOT_API_KEY="sandbox-copilot-key", CLARI_COPILOT_API_PASSWORD="sandbox-copilot-password",
                   CLARI_FORECAST_IDS="1001,1002,1003", CLARI_INGEST_JOB_IDS="ingest-1,ingest-2,ingest-3",
                   CLARI_EXPORT_POLL_INTERVAL="10ms", CLARI_RATE_LIMIT=str(RATE) if mode == "declared" else "0")
        work = tempfile.mkdtemp(prefix="connector-realistic-")
        shutil.copy(os.path.join(root, "sources.yaml"), work)
        shutil.copytree(os.path.join(root, "destinations"), os.path.join(work, "destinations"))
        start = time.monotonic()
        done = subprocess.run([client, "run", "--project", work, "clari_core", "clari_copilot", "clari_forecast",
                               "--json", "--destination", "sqlite"], cwd=work, env=env, capture_output=True, text=True)
        wall = time.monotonic() - start
        hosts = json.load(urllib.request.urlopen(base + "/_sandbox/pacing"))
        log = json.load(urllib.request.urlopen(base + "/_sandbox/requests"))
        minimum = minimum_requests(SandboxAsker(base, copilot_base), log)
    if done.returncode != 0:
        print(done.stdout[-2000:], done.stderr[-2000:], file=sys.stderr)
    reports = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    shutil.rmtree(work, ignore_errors=True)
    return wall, done.returncode, hosts, reports, minimum, {base: "core", copilot_base: "copilot"}


class SandboxAsker:
    """Asks the sandbox itself (after the run, its counters already read) what it holds: the
    totals a hand-written client would page through. Sequential; a 429 waits its Retry-After."""
    def __init__(self, base, copilot_base):
        self.core, self.copilot = base + "/v4", copilot_base + "/copilot"

    def get(self, url):
        copilot = url.startswith(self.copilot)
        headers = {"X-Api-Key": "sandbox-copilot-key", "X-Api-Password": "sandbox-copilot-password"} if copilot \
            else {"apikey": "sandbox-api-key"}
        for _ in range(50):
            try:
                return json.load(urllib.request.urlopen(urllib.request.Request(url, headers=headers)))
            except urllib.error.HTTPError as e:
                if e.code != 429:
                    raise
                time.sleep(float(e.headers.get("Retry-After") or 1))
        raise RuntimeError(f"{url}: still 429 after 50 tries")

    def matched(self, path, **query):
        query["limit"] = 1
        return self.get(f"{self.copilot}/{path}?{urllib.parse.urlencode(query)}")["pagination"]["matched"]

    def audit_pages(self, date_from):
        url, pages = f"{self.core}/audit/events?limit={MAX_PAGE['audit_events']}&dateFrom={date_from}", 0
        while url:
            pages += 1
            url = self.get(url).get("nextLink")
        return pages

    def export_jobs(self):
        body = self.get(f"{self.core}/export/jobs")
        return len(body["jobs"] if isinstance(body, dict) else body)


def minimum_requests(sandbox, log):
    """What a hand-written client needs, from the sandbox's own data: the largest pages the API
    allows (`MAX_PAGE`), one request per time window (even an empty one; the windows are the
    distinct ones the run asked for, so one asked twice counts once), one per call detail,
    export job result and ingest job, and per forecast export a create, the polls the job
    takes and a download for each that finished (the distinct results the log shows)."""
    pages = lambda n, size: max(1, math.ceil(n / size))
    windows = sorted({(q.get("filterTimeGt", [""])[0], q.get("filterTimeLt", [""])[0])
                      for line in log if line.startswith("GET /copilot/calls?")
                      for q in [urllib.parse.parse_qs(line.split("?", 1)[1])]})
    matched = [sandbox.matched("calls", filterTimeGt=gt, filterTimeLt=lt) for gt, lt in windows]
    calls = sum(pages(n, MAX_PAGE["calls"]) for n in matched)
    # Jobs created (a create answered 429 and sent again created nothing): the ids polled.
    paths = {line.split("?")[0] for line in log if line.startswith("GET /v4/export/jobs/fjob-")}
    forecasts = len({p for p in paths if not p.endswith("/results")})
    downloads = len({p for p in paths if p.endswith("/results")})
    audit_pages = sandbox.audit_pages("2024-01-01T00:00:00Z")
    return {
        "audit_events": audit_pages, "export_jobs": 1, "export_job_results": sandbox.export_jobs(),
        "admin_limits": 1, "ingest_jobs": 3, "calls": calls, "call_details": sum(matched),
        "users": 1, "topics": 1, "v2_topics": 1,
        "scorecards": pages(sandbox.matched("scorecard"), MAX_PAGE["scorecards"]),
        "forecast_export": forecasts * (1 + POLLS) + downloads,
        "_audit_pages": audit_pages, "_forecasts": forecasts,
    }


def floor(hosts, names, minimum):
    """Per host the longer of (requests − the bucket's burst) ÷ rate and the chain of dependent
    requests × mean latency; the hosts are served side by side, so the run's floor is the larger."""
    mean = sum(LATENCY) / 2
    chains = {"core": max(minimum["_audit_pages"], math.ceil(minimum["_forecasts"] / JOB_SLOTS) * (2 + POLLS), 2),
              "copilot": 3}   # a window's first page → its other pages → the call details
    rows = {}
    for origin, c in hosts.items():
        name = next((n for o, n in names.items() if o == origin), origin)
        served = c["requests"] - c["limited"]
        rows[name] = (c, max(0, served - RATE) / RATE, chains.get(name, 1) * mean)
    return rows


def main():
    client, sandbox_binary, scale = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2]), int(sys.argv[3])
    modes = sys.argv[4:] or ["declared", "learned", "learned-429"]
    for mode in modes:
        wall, code, hosts, reports, minimum, names = run(client, sandbox_binary, scale, mode)
        rows = floor(hosts, names, minimum)
        limit = max(max(r[1], r[2]) for r in rows.values())
        print(f"scale {scale}, limits {mode}, {RATE}/s per host, latency {LATENCY[0]}-{LATENCY[1]} s: exit {code}")
        for name, (c, by_rate, by_chain) in sorted(rows.items()):
            print(f"  {name:<8} {c['requests']:>6} requests  {c['limited']:>5} × 429   floor: "
                  f"by rate {by_rate:6.2f} s, by chain {by_chain:5.2f} s")
        print(f"  wall {wall:.2f} s, limit floor {limit:.2f} s, wall/floor {wall / limit:.3f}")
        print("  requests per resource: connector (of which sent again after a 429) / minimum, ratio without"
              " and with the resends:")
        for report in reports:
            for r in report["resources"]:
                least, sent, again = minimum.get(r["resource"]), r["requests"], r.get("retries", 0)
                ratio = f"{(sent - again) / least:.3f}  {sent / least:.3f}" if least else "-"
                print(f"    {report['pipeline']:<15} {r['resource']:<20} {sent:>6} ({again:>3}) / {least or '-':>6}"
                      f"  {ratio}")


main()
