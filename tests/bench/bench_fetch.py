"""`flagdesk fetch` from a real IMAP server (pymap on localhost, in-memory) against importing the same
messages from a local Maildir, in the same run; the re-fetch (nothing new: one SEARCH) is timed too.

    python tests/bench/bench_fetch.py [--messages 300]

The figure is the IMAP fetch's cost per message; the ratio the whole fetch against the Maildir import.
Target: ratio <= 5 (a fetch is one UID FETCH round trip and a temporary file per message, then the same import).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))

TARGET = 5.0


def main() -> None:
    from benchlib import report

    from console.core import config as config_mod
    from console.desk import Desk
    from console.store.db import open_store
    from tests.test_import import notice_maildir
    from tests.test_sources import PASSWORD, USER, admin, fill, free_port

    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=300)
    args = parser.parse_args()
    n = args.messages
    port = free_port()
    code = "import sys; from pymap.main import main; sys.argv[0] = 'pymap'; sys.exit(main())"
    proc = subprocess.Popen([sys.executable, "-c", code, "--host", "127.0.0.1", "--port", str(port), "--no-tls",
                             "dict", "--demo-user", USER, "--demo-password", PASSWORD],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                admin(port).logout()
                break
            except OSError:
                time.sleep(0.05)
        fill(port, "Bench", range(n))
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            pw = tmp / "pass"
            pw.write_text(PASSWORD)
            pw.chmod(0o600)
            cfg = tmp / "config.toml"
            cfg.write_text(f'[[sources]]\nname = "b"\nkind = "imap"\nhost = "127.0.0.1"\nport = {port}\n'
                           f'security = "plain"\nuser = "{USER}"\npassword_file = "{pw}"\nfolder = "Bench"\n'
                           f'[[sources]]\nname = "m"\nkind = "maildir"\npath = "{tmp / "mail"}"\n')
            notice_maildir(tmp / "mail", n)
            conf = config_mod.load(cfg)
            times = {}
            for name in ("m", "b"):
                store = open_store(tmp / f"{name}.db", "bench")
                desk = Desk(store, conf, store.clock)
                desk.add_account("Northwind", ["US", "CA"], ["notices+northwind@ops.example.com"])
                sources = desk.sources()
                [source] = sources.pick([name])
                t0 = time.perf_counter()
                result = sources.fetch(source)
                times[name] = time.perf_counter() - t0
                assert result.summary and result.summary.imported == n, (result.error, result.summary)
                if name == "b":
                    t0 = time.perf_counter()
                    again = sources.fetch(source)
                    times["again"] = time.perf_counter() - t0
                    assert again.summary.imported == 0
                store.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    ratio = times["b"] / times["m"]
    print(f"re-fetch with nothing new: {times['again'] * 1000:.0f} ms")
    report("fetch", f"IMAP fetch of {n} notices", f"{times['b'] / n * 1000:.2f} ms/message "
           f"({times['b']:.2f} s)", f"Maildir import {times['m']:.2f} s", f"{ratio:.1f}", f"<= {TARGET:.0f}",
           ratio <= TARGET)


if __name__ == "__main__":
    main()
