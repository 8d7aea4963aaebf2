"""Response times with and without ckanext-cdm, served as the demo is served.

Usage: python bench/timing.py bench/bench.ini bench/bench-without-cdm.ini

Starts two gunicorn servers of ``ckanext.cdm.wsgi`` (2 workers x 4 threads,
as ``scripts/serve.sh``), one per configuration, on two ports
(CDM_BENCH_PORT, default 5091, and the next one), over the same database and
Solr core. The endpoints are those of bench/endpoints.py. Both servers first
answer CDM_BENCH_WARMUP requests per endpoint (default 5, discarded); then
come CDM_BENCH_ROUNDS rounds (default 9): in each, every endpoint in turn
gets CDM_BENCH_REPEAT timed requests per server (default 10), alternating
between the servers one request at a time, in the order A B B A A B… so
that neither always goes first. A request is timed from before it is sent
until its whole body is read, by one client, one request at a time, as an
anonymous visitor.

Prints the load average at the start and at the end (other jobs slow both
servers, and widen the spread), the median and the 90th percentile of each
endpoint on each server, the ratio of the medians with/without over all the
rounds, and the lowest and highest ratio of a single round (the noise);
exits 1 when a median ratio exceeds CDM_BENCH_MAX_RATIO (default 1.05),
naming the endpoints.
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

from endpoints import ENDPOINTS  # bench/, the script's folder

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("CDM_BENCH_PORT", "5091"))
WARMUP = int(os.environ.get("CDM_BENCH_WARMUP", "5"))
ROUNDS = int(os.environ.get("CDM_BENCH_ROUNDS", "9"))
REPEAT = int(os.environ.get("CDM_BENCH_REPEAT", "10"))
MAX_RATIO = float(os.environ.get("CDM_BENCH_MAX_RATIO", "1.05"))
WORKERS, THREADS = 2, 4


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


class Timed:
    """The times of one endpoint, in seconds, round by round."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.rounds: list[tuple[list[float], list[float]]] = []  # (without, with cdm)

    def all(self, side: int) -> list[float]:
        return [t for times in self.rounds for t in times[side]]

    def ratio(self) -> float:
        """The median time with cdm divided by the median time without."""
        return statistics.median(self.all(1)) / statistics.median(self.all(0))

    def round_ratios(self) -> list[float]:
        return [statistics.median(w) / statistics.median(wo) for wo, w in self.rounds]


def time_endpoints(without: str, with_cdm: str) -> list[Timed]:
    """The endpoints timed in ROUNDS rounds: in each, every endpoint in turn,
    REPEAT requests per server, alternating A B B A… (the order goes on
    from one round to the next)."""
    results = [Timed(endpoint.name) for endpoint in ENDPOINTS]
    for endpoint in ENDPOINTS:
        for _ in range(WARMUP):
            get(without + endpoint.path)
            get(with_cdm + endpoint.path)
    turn = 0
    for _ in range(ROUNDS):
        for endpoint, timed in zip(ENDPOINTS, results, strict=True):
            times: dict[str, list[float]] = {without: [], with_cdm: []}
            for _ in range(REPEAT):
                pair = (without, with_cdm) if turn % 2 == 0 else (with_cdm, without)
                turn += 1
                for base in pair:
                    times[base].append(get(base + endpoint.path))
            timed.rounds.append((times[without], times[with_cdm]))
    return results


def load() -> str:
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


def machine() -> str:
    model = platform.processor() or "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return (
        f"{os.cpu_count()} CPUs ({model}), Python {platform.python_version()}, "
        f"load average at the end {load()}"
    )


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__.splitlines()[2], file=sys.stderr)
        return 2
    with_ini, without_ini = argv[1], argv[2]
    log(
        f"gunicorn, {WORKERS} workers x {THREADS} threads each: without cdm on :{PORT}, "
        f"with cdm on :{PORT + 1}; {WARMUP} warm-up requests per endpoint and server, then "
        f"{ROUNDS} rounds of {REPEAT} timed requests per endpoint and server, alternating"
    )
    log(f"load average at the start: {load()}")
    with (
        serving(without_ini, PORT, "without-cdm") as without,
        serving(with_ini, PORT + 1, "with-cdm") as with_cdm,
    ):
        results = time_endpoints(without, with_cdm)
    print()
    print(f"Machine: {machine()}")
    print(f"{'endpoint':<32}{'without cdm':>20}{'with cdm':>20}{'ratio':>8}{'rounds':>13}")
    print(f"{'':<32}{'median / p90 (ms)':>20}{'median / p90 (ms)':>20}{'median':>8}{'min-max':>13}")
    failed = []
    for timed in results:
        cells = [
            f"{statistics.median(t) * 1000:.1f} / {percentile(t, 0.9) * 1000:.1f}"
            for t in (timed.all(0), timed.all(1))
        ]
        spread = timed.round_ratios()
        print(
            f"{timed.name:<32}{cells[0]:>20}{cells[1]:>20}{timed.ratio():>8.2f}"
            f"{f'{min(spread):.2f}-{max(spread):.2f}':>13}"
        )
        if timed.ratio() > MAX_RATIO:
            failed.append(timed.name)
    print(
        f"(ratio: median with / median without over the {ROUNDS} x {REPEAT} requests; "
        "rounds: the lowest and highest ratio of one round, the noise)"
    )
    if failed:
        print(f"FAIL: ratio above {MAX_RATIO:.2f} (CDM_BENCH_MAX_RATIO) for {', '.join(failed)}")
        return 1
    print(f"OK: every ratio at most {MAX_RATIO:.2f} (CDM_BENCH_MAX_RATIO)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
