"""How soon `flagdesk fetch --watch` stores a notice after it arrives: a message appended to an IMAP folder
(pymap on localhost, IDLE) and one sent to an SQS queue (moto in server mode on localhost, long polling),
from the append or send to the notice's row in the database. The reference, in the same run, is one
`flagdesk fetch` process started right after the message arrives (what a cron line does at best).

    python tests/bench/bench_watch.py [--runs 7]

Figures: median pickup latency for each; ratio: the watch's median against the one-shot fetch's.
Target: ratio <= 1 (the watch has it stored before a fetch process would have finished).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))

COMMAND = Path(sys.executable).parent / "flagdesk"
TARGET = 1.0


def count(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM notifications").fetchone()[0]


def until_stored(db: Path, n: int, start: float, timeout: float = 30) -> float:
    while time.perf_counter() - start < timeout:
        if count(db) >= n:
            return time.perf_counter() - start
        time.sleep(0.005)
    raise SystemExit(f"not stored within {timeout} s")


def watch(argv: list[str], env: dict, ready: str):
    proc = subprocess.Popen([str(COMMAND), "fetch", "--watch", *argv], env=env, text=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seen = threading.Event()

    def read():
        for line in proc.stderr:
            if re.search(ready, line):
                seen.set()

    threading.Thread(target=read, daemon=True).start()
    if not seen.wait(30):
        proc.kill()
        raise SystemExit("the watch did not start")
    return proc


def measure(name: str, runs: int, argv: list[str], env: dict, db: Path, ready: str, arrive) -> tuple[float, float]:
    proc = watch(argv, env, ready)
    time.sleep(0.5)
    watched = []
    try:
        for _ in range(runs):
            n = count(db)
            start = time.perf_counter()
            arrive()
            watched.append(until_stored(db, n + 1, start))
            time.sleep(0.3)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    once = []
    for _ in range(runs):
        n = count(db)
        start = time.perf_counter()
        arrive()
        subprocess.run([str(COMMAND), "fetch", *argv], env=env, check=True, capture_output=True)
        once.append(until_stored(db, n + 1, start))
    return statistics.median(watched), statistics.median(once)


def main() -> None:
    from benchlib import report

    from console.core import config as config_mod
    from console.desk import Desk
    from console.store.db import open_store
    from tests.test_sources import PASSWORD, USER, admin, free_port, notice

    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    port = free_port()
    code = "import sys; from pymap.main import main; sys.argv[0] = 'pymap'; sys.exit(main())"
    pymap = subprocess.Popen([sys.executable, "-c", code, "--host", "127.0.0.1", "--port", str(port), "--no-tls",
                              "dict", "--demo-user", USER, "--demo-password", PASSWORD],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    moto = None
    results = []
    try:
        for _ in range(300):
            try:
                admin(port).logout()
                break
            except OSError:
                time.sleep(0.05)
        conn = admin(port)
        conn.create('"Bench"')
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            pw = tmp / "pass"
            pw.write_text(PASSWORD)
            pw.chmod(0o600)
            env = {**os.environ, "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
                   "AWS_EC2_METADATA_DISABLED": "true"}
            sent = [0]

            def append():
                sent[0] += 1
                conn.append('"Bench"', None, None, notice(sent[0]))

            cfg = tmp / "imap.toml"
            cfg.write_text(f'[[sources]]\nname = "box"\nkind = "imap"\nhost = "127.0.0.1"\nport = {port}\n'
                           f'security = "plain"\nuser = "{USER}"\npassword_file = "{pw}"\nfolder = "Bench"\n')
            db = tmp / "imap.db"
            store = open_store(db, "bench")
            Desk(store, config_mod.load(cfg), store.clock).add_account(
                "Northwind", ["US", "CA"], ["notices+northwind@ops.example.com"])
            store.close()
            results.append(("IMAP IDLE", *measure("imap", args.runs, ["--config", str(cfg), "--db", str(db)], env, db,
                                                  r"watching Bench \(IDLE\)", append)))
            try:
                import boto3
                from moto.server import ThreadedMotoServer
            except ImportError:
                print("moto or boto3 not installed: SQS not measured")
            else:
                import logging

                logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's server logs every request
                moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
                moto.start()
                endpoint = "http://127.0.0.1:%d" % moto.get_host_and_port()[1]
                sqs = boto3.client("sqs", region_name="us-east-1", endpoint_url=endpoint,
                                   aws_access_key_id="bench", aws_secret_access_key="bench")
                url = sqs.create_queue(QueueName="bench")["QueueUrl"]
                template = json.loads((ROOT / "tests/data/spapi/status_camel.json").read_text())

                def send():
                    sent[0] += 1
                    template["notificationMetadata"]["notificationId"] = f"bench-{sent[0]}"
                    sqs.send_message(QueueUrl=url, MessageBody=json.dumps(template))

                cfg = tmp / "sqs.toml"
                cfg.write_text(f'[[sources]]\nname = "q"\nkind = "sqs"\nqueue_url = "{url}"\nregion = "us-east-1"\n'
                               f'endpoint_url = "{endpoint}"\naccount = "Northwind"\n')
                db = tmp / "sqs.db"
                store = open_store(db, "bench")
                Desk(store, config_mod.load(cfg), store.clock).add_account("Northwind", ["US"], [])
                store.close()
                results.append(("SQS long poll", *measure("sqs", args.runs, ["--config", str(cfg), "--db", str(db)],
                                                          env, db, r"watching \(long polling", send)))
        conn.logout()
    finally:
        pymap.terminate()
        pymap.wait(timeout=10)
        if moto:
            moto.stop()
    for what, watched, once in results:
        ratio = watched / once
        report("watch", f"{what}: arrival to stored", f"{watched * 1000:.0f} ms (median of {args.runs})",
               f"one `flagdesk fetch` process {once * 1000:.0f} ms", f"{ratio:.2f}", f"<= {TARGET:g}", ratio <= TARGET)


if __name__ == "__main__":
    main()
