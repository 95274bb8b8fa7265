"""The same Clari resources loaded by dlt's rest_api source into duckdb, for comparison.

Usage: python dlt_clari.py BASE_URL WORKDIR  (credentials: the sandbox's demo keys)
Prints one JSON line: rows, seconds. dlt's rest_api has no partitions or async jobs, so
Copilot calls are walked with skip/limit (fine below the 10,000 skip cap, i.e. scale <= 33)
and forecast exports are a small Python resource (create → poll → download)."""
import json, os, sys, time

import dlt
import requests
from dlt.sources.rest_api import rest_api_source

base, copilot_base, workdir = sys.argv[1], sys.argv[2], sys.argv[3]
os.chdir(workdir)
os.environ.setdefault("RUNTIME__LOG_LEVEL", "WARNING")
KEY = "sandbox-api-key"
COPILOT = {"X-Api-Key": "sandbox-copilot-key", "X-Api-Password": "sandbox-copilot-password"}

core = rest_api_source({
    "client": {"base_url": base + "/v4/", "headers": {"apikey": KEY}},
    "resource_defaults": {"write_disposition": "merge"},
    "resources": [
        {"name": "audit_events", "primary_key": ["eventTimestamp", "actorId", "sessionId", "event"],
         "endpoint": {"path": "audit/events", "params": {"limit": 1000}, "data_selector": "items",
                      "paginator": {"type": "json_link", "next_url_path": "nextLink"}}},
        {"name": "export_jobs", "primary_key": "jobId", "endpoint": {"path": "export/jobs", "paginator": "single_page"}},
        {"name": "export_job_results", "primary_key": ["_export_jobs_job_id", "eventTimestamp", "actorId", "sessionId", "event"],
         "include_from_parent": ["jobId"],
         "endpoint": {"path": "export/jobs/{job_id}/results", "data_selector": "items", "paginator": "single_page",
                      "params": {"job_id": {"type": "resolve", "resource": "export_jobs", "field": "jobId"}}}},
        {"name": "admin_limits", "write_disposition": "replace",
         "endpoint": {"path": "admin/limits", "data_selector": "jobs", "paginator": "single_page"}},
    ],
}, name="clari")

copilot = rest_api_source({
    "client": {"base_url": copilot_base + "/copilot/", "headers": COPILOT},
    "resource_defaults": {"write_disposition": "merge", "primary_key": "id"},
    "resources": [
        {"name": "calls", "endpoint": {"path": "calls", "data_selector": "calls",
                                       "paginator": {"type": "offset", "limit": 100, "offset_param": "skip",
                                                     "limit_param": "limit", "total_path": "pagination.matched"}}},
        {"name": "call_details", "endpoint": {"path": "call-details", "data_selector": "call", "paginator": "single_page",
                                              "params": {"id": "{resources.calls.id}"},
                                              "response_actions": [{"status_code": 404, "action": "ignore"}]}},
        {"name": "users", "endpoint": {"path": "users", "data_selector": "users", "paginator": "single_page"}},
        {"name": "topics", "primary_key": "value", "endpoint": {"path": "topics", "data_selector": "topics", "paginator": "single_page"}},
        {"name": "v2_topics", "primary_key": "topic_id", "endpoint": {"path": "v2/topics", "data_selector": "topics", "paginator": "single_page"}},
        {"name": "scorecards", "endpoint": {"path": "scorecard", "data_selector": "scorecards",
                                            "paginator": {"type": "offset", "limit": 100, "offset_param": "skip",
                                                          "limit_param": "limit", "total_path": "pagination.matched"}}},
    ],
}, name="clari_copilot")

KEYS = {"entries": ["forecast_id", "timePeriodId", "timeFrameId", "userId", "fieldId"], "users": ["forecast_id", "userId"],
        "fields": ["forecast_id", "fieldId"], "timePeriods": ["timePeriodId"], "timeFrames": ["time_period", "timeFrameId"]}
TABLES = {"entries": "forecast_entries", "users": "forecast_users", "fields": "forecast_fields",
          "timePeriods": "forecast_time_periods", "timeFrames": "forecast_time_frames"}

def quarters():
    t = time.gmtime()
    y, q = t.tm_year, (t.tm_mon - 1) // 3 + 1
    out = []
    for _ in range(5):
        out.append(f"{y}_Q{q}")
        q -= 1
        if q == 0:
            y, q = y - 1, 4
    return list(reversed(out))

@dlt.source(name="clari_forecast")
def forecast():
    def make(key):
        @dlt.resource(name=TABLES[key], primary_key=KEYS[key], write_disposition="merge")
        def table():
            yield from documents[key]
        return table
    session = requests.Session()
    session.headers["apikey"] = KEY
    documents = {k: [] for k in KEYS}
    for fid in ["1001", "1002", "1003"]:
        for period in quarters():
            job = session.post(f"{base}/v4/export/forecast/{fid}", json={"timePeriod": period}).json()["jobId"]
            while True:
                status = session.get(f"{base}/v4/export/jobs/{job}").json()["job"]["status"]
                if status in ("DONE", "FAILED", "CANCELLED", "ABORTED"):
                    break
                time.sleep(0.05)
            if status != "DONE":
                continue
            doc = session.get(f"{base}/v4/export/jobs/{job}/results").json()
            for k in KEYS:
                documents[k] += [dict(r, forecast_id=fid, time_period=period) for r in doc[k]]
    return [make(k) for k in KEYS]

start = time.monotonic()
rows = 0
for name, source in [("clari_core", core), ("clari_copilot", copilot), ("clari_forecast", forecast())]:
    pipeline = dlt.pipeline(pipeline_name=name, destination="duckdb", dataset_name="data", progress=None,
                            pipelines_dir=os.path.join(workdir, ".dlt"))
    # insert_values (the default) fails on Copilot's "NaN" strings coerced to doubles; jsonl loads them.
    info = pipeline.run(source, loader_file_format="jsonl")
    trace = pipeline.last_trace.last_normalize_info
    rows += sum(c for t, c in trace.row_counts.items() if not t.startswith("_dlt"))
print(json.dumps({"rows": rows, "seconds": time.monotonic() - start}))
