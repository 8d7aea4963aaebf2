"""Response times with and without ckanext-cdm, served as the demo is served.

Usage: python bench/timing.py bench/bench.ini bench/bench-without-cdm.ini

Starts two gunicorn servers of ``ckanext.cdm.wsgi`` (2 workers x 4 threads,
as ``scripts/serve.sh``), one per configuration, on two ports
(CDM_BENCH_PORT, default 5091, and the next one), over the same database and
Solr core. For each endpoint, both servers first answer CDM_BENCH_WARMUP
requests (default 5, discarded), then CDM_BENCH_REPEAT timed requests each
(default 40), alternating between the servers one request at a time, in the
order A B B A A B… so that neither always goes first. A request is timed
from before it is sent until its whole body is read, by one client, one
request at a time, as an anonymous visitor.

Prints the machine (with its load average at the end: other jobs slow both
servers, and widen the spread), the median and the 90th percentile of each
endpoint on each server and the ratios with/without; exits 1 when a median ratio exceeds
CDM_BENCH_MAX_RATIO (default 1.10).
"""

from __future__ import annotations

import contextlib
import os
import platform
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("CDM_BENCH_PORT", "5091"))
WARMUP = int(os.environ.get("CDM_BENCH_WARMUP", "5"))
REPEAT = int(os.environ.get("CDM_BENCH_REPEAT", "40"))
MAX_RATIO = float(os.environ.get("CDM_BENCH_MAX_RATIO", "1.10"))
WORKERS, THREADS = 2, 4

ENDPOINTS = [
    ("/dataset page (20 results)", "/dataset/"),
    ("package_search rows=100", "/api/3/action/package_search?rows=100"),
    ("package_show (with an opinion)", "/api/3/action/package_show?id=bench-00000"),
]


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def get(url: str) -> float:
    """Seconds to fetch ``url`` completely (it must answer 200)."""
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as response:
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{url} answered {response.status}")
    return time.perf_counter() - started


def port_free(port: int) -> bool:
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
    except OSError as error:
        return isinstance(error, urllib.error.URLError) and isinstance(
            error.reason, ConnectionRefusedError
        )
    return False


@contextlib.contextmanager
def serving(ini: str, port: int, name: str) -> Iterator[str]:
    """A gunicorn server of ``ini`` on ``port`` while the block runs; its base URL."""
    if not port_free(port):
        raise SystemExit(f"port {port} is busy (set CDM_BENCH_PORT to use others)")
    logfile = ROOT / ".run" / "log" / f"bench-{name}.log"
    logfile.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "CKAN_INI": str(Path(ini).resolve())}
    env["CKAN_SITE_URL"] = f"http://127.0.0.1:{port}"
    gunicorn = Path(sys.executable).parent / "gunicorn"
    command = [
        str(gunicorn),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(WORKERS),
        "--threads",
        str(THREADS),
        "--timeout",
        "120",
        "--name",
        f"cdm-bench-{name}",
        "--no-control-socket",
        "ckanext.cdm.wsgi:make_application()",
    ]
    with open(logfile, "w") as output:
        server = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if server.poll() is not None:
                raise SystemExit(f"gunicorn ({name}) exited; see {logfile}")
            try:
                get(f"{base}/api/3/action/status_show")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit(
                        f"gunicorn ({name}) did not answer in 120 s; see {logfile}"
                    ) from None
                time.sleep(0.5)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def time_endpoints(without: str, with_cdm: str) -> list[tuple[str, list[float], list[float]]]:
    """For each endpoint: (name, times without cdm, times with cdm), in seconds."""
    results = []
    for name, path in ENDPOINTS:
        for _ in range(WARMUP):
            get(without + path)
            get(with_cdm + path)
        times: dict[str, list[float]] = {without: [], with_cdm: []}
        for i in range(REPEAT):
            pair = (without, with_cdm) if i % 2 == 0 else (with_cdm, without)
            for base in pair:
                times[base].append(get(base + path))
        results.append((name, times[without], times[with_cdm]))
    return results


def machine() -> str:
    model = platform.processor() or "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return f"{os.cpu_count()} CPUs ({model}), Python {platform.python_version()}, load {load}"


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__.splitlines()[2], file=sys.stderr)
        return 2
    with_ini, without_ini = argv[1], argv[2]
    log(
        f"gunicorn, {WORKERS} workers x {THREADS} threads each: without cdm on :{PORT}, "
        f"with cdm on :{PORT + 1}; {WARMUP} warm-up + {REPEAT} timed requests per "
        "endpoint and server, alternating"
    )
    with (
        serving(without_ini, PORT, "without-cdm") as without,
        serving(with_ini, PORT + 1, "with-cdm") as with_cdm,
    ):
        results = time_endpoints(without, with_cdm)
    print()
    print(f"Machine: {machine()}")
    print(f"{'endpoint':<32}{'without cdm':>22}{'with cdm':>22}{'ratio':>8}")
    print(f"{'':<32}{'median / p90 (ms)':>22}{'median / p90 (ms)':>22}{'median':>8}")
    failed = []
    for name, without_times, with_times in results:
        base, extra = statistics.median(without_times), statistics.median(with_times)
        ratio = extra / base
        cells = [
            f"{statistics.median(t) * 1000:.1f} / {percentile(t, 0.9) * 1000:.1f}"
            for t in (without_times, with_times)
        ]
        print(f"{name:<32}{cells[0]:>22}{cells[1]:>22}{ratio:>8.2f}")
        if ratio > MAX_RATIO:
            failed.append(name)
    if failed:
        print(f"FAIL: ratio above {MAX_RATIO:.2f} (CDM_BENCH_MAX_RATIO) for {', '.join(failed)}")
        return 1
    print(f"OK: every ratio at most {MAX_RATIO:.2f} (CDM_BENCH_MAX_RATIO)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
