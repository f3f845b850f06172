"""The README's "Shared box" section, run as written by two real OS users on one database.

As root: two users (fdtest_a, fdtest_b) in a new group, a setgid folder of that group, `umask 007`, and the
`flagdesk` installed in this venv. The venv's interpreter may live where those users cannot go (a pyenv
under /root), so each command runs the venv's installed `flagdesk` (its site-packages and this worktree,
both readable) with a Python they can execute of the same version; when there is none, the test is skipped
saying so. What it checks is what is stored: the OS user on audit rows, claims and reviews, the refused
release, the review counted only from the other user, the policy change, the file modes. Skipped when not
root (it needs useradd). Users, group and folder are removed afterwards.
"""

from __future__ import annotations

import grp
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
USERS, GROUP = ("fdtest_a", "fdtest_b"), "fdtest_ops"
SITE = sysconfig.get_paths()["purelib"]  # the venv's site-packages: flagdesk (editable) and its libraries
NOTICE = ("Subject: Notice: Received Intellectual Property Complaint\n\nWe received a complaint that you are "
          "selling counterfeit products of ASIN B0C1234567. We have removed the listing. Send an appeal within "
          "17 days.\n")
PLAN = ("## Root cause\nOur supplier sent units without the required labels, and we listed them without checking "
        "the labels against the listing. We did not inspect inbound stock.\n\n## Actions taken\nWe removed "
        "ASIN B0C1234567 and relabelled all units.\n\n## Preventive measures\n1. Every inbound shipment is "
        "inspected by the warehouse lead weekly.\n2. Listings are checked against the label each Monday.\n"
        "3. Supplier contracts require labels from 2026-12-01.\n")
LAUNCH = ("import site, sys; site.addsitedir(sys.argv.pop(1)); sys.argv[0] = 'flagdesk'; "
          "from console.cli.entry import main; sys.exit(main())")

pytestmark = pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("useradd") or not shutil.which("setpriv"),
                                reason="needs root, useradd and setpriv to make two real OS users")


def sh(*cmd: str) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=True, capture_output=True, text=True)


def test_the_readme_section_names_the_commands_this_test_runs():
    for line in ("sudo groupadd flagdesk-ops", "sudo usermod -aG flagdesk-ops alice",
                 "sudo install -d -m 2770 -g flagdesk-ops /srv/flagdesk", "umask 007",
                 "export FLAGDESK_DB=/srv/flagdesk/flagdesk.db", "flagdesk init", "flagdesk doctor",
                 "flagdesk policy set require_review false --reason"):
        assert line in README


@pytest.fixture
def box():
    """Two users in a group and the README's folder under a fresh base readable by them."""
    for name in (*USERS, GROUP):
        subprocess.run(["userdel", "-r", name], capture_output=True, check=False)
    subprocess.run(["groupdel", GROUP], capture_output=True, check=False)
    base = Path(tempfile.mkdtemp(prefix="fdbox-", dir="/tmp"))
    os.chmod(base, 0o755)
    try:
        sh("groupadd", GROUP)  # the README's `groupadd` and `usermod -aG`, with our names
        for user in USERS:
            sh("useradd", "-m", "-s", "/bin/sh", user)
            sh("usermod", "-aG", GROUP, user)
        srv = base / "srv" / "flagdesk"
        srv.parent.mkdir(mode=0o755)
        sh("install", "-d", "-m", "2770", "-g", GROUP, str(srv))
        yield srv
    finally:
        for user in USERS:
            subprocess.run(["userdel", "-r", user], capture_output=True, check=False)
        subprocess.run(["groupdel", GROUP], capture_output=True, check=False)
        shutil.rmtree(base, ignore_errors=True)


def _python_for(user: str) -> str | None:
    """A Python of this version the user can run, with the venv's packages importable."""
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    for candidate in (sys.executable, os.path.realpath(sys.executable), shutil.which(version) or "",
                      f"/usr/bin/{version}", f"/usr/local/bin/{version}"):
        if not candidate:
            continue
        probe = subprocess.run(["setpriv", f"--reuid={user}", f"--regid={user}", "--init-groups", "sh", "-c",
                                'exec "$@"', "sh", candidate, "-c",
                                "import site, sys; site.addsitedir(sys.argv[1]); import console.cli.entry, textual",
                                SITE], capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"}, cwd="/",
                               check=False)
        if probe.returncode == 0:
            return candidate
    return None


def test_two_os_users_share_one_database_as_the_readme_says(box):
    db = box / "flagdesk.db"
    python = _python_for(USERS[0])
    if python is None:
        pytest.skip(f"no Python {sys.version_info.major}.{sys.version_info.minor} that {USERS[0]} can run with "
                    f"this venv's packages ({sys.executable} is under a folder they cannot enter)")

    def flagdesk(user: str, *args: str, name: str | None = None, stdin: str | None = None):
        env = {"PATH": "/usr/bin:/bin", "HOME": f"/home/{user}", "FLAGDESK_DB": str(db), "FLAGDESK_TZ": "UTC",
               "FLAGDESK_SYSTEM_CONFIG": f"/home/{user}/no-system-config.toml", "LOGNAME": "root", "USER": "root"}
        if name:
            env["FLAGDESK_OPERATOR"] = name
        cmd = ["setpriv", f"--reuid={user}", f"--regid={user}", "--init-groups", "sh", "-c",
               'umask 007; exec "$@"', "sh", python, "-c", LAUNCH, SITE, *args]
        return subprocess.run(cmd, input=stdin, capture_output=True, text=True, env=env, cwd="/", timeout=120,
                              check=False)

    a, b = USERS
    assert flagdesk(a, "init").returncode == 0
    assert flagdesk(a, "accounts", "add", "Northwind Home", "--marketplace", "US").returncode == 0
    assert flagdesk(a, "add", "--account", "Northwind Home", stdin=NOTICE).returncode == 0
    doctor = flagdesk(b, "doctor", "--json")
    found = {f["name"]: f["level"] for f in json.loads(doctor.stdout)["findings"]}
    assert found["world-readable"] == "ok" and found["file permissions"] == "ok", doctor.stdout
    assert found["folder setgid"] == "ok" and found["umask"] == "ok"

    # A claim is its OS user's: b declaring a's name cannot release it.
    assert flagdesk(a, "claim", "1").stdout == f"#1 claimed by {a}\n"
    refused = flagdesk(b, "claim", "1", "--release", name=a)
    assert refused.returncode == 1
    assert f"claimed by {a} since" in refused.stderr and f"not by you ({a} (os: {b}))" in refused.stderr

    # Four eyes are two OS users: a under another name is only declared; b's review counts.
    assert flagdesk(a, "appeal", "new", "1", "--file", "-", stdin=PLAN).stdout.strip() == "1"
    declared = flagdesk(a, "appeal", "review", "1", name="lead")
    assert declared.returncode == 0 and "four eyes need a second OS user" in declared.stderr
    checks = json.loads(flagdesk(b, "appeal", "check", "1", "--json").stdout)["checks"]
    assert next(c for c in checks if c["id"] == "reviewed")["status"] == "warn"
    assert flagdesk(b, "appeal", "review", "1").stdout == f"appeal #1 reviewed by {b}\n"
    checks = json.loads(flagdesk(a, "appeal", "check", "1", "--json").stdout)["checks"]
    assert next(c for c in checks if c["id"] == "reviewed")["status"] == "pass"

    # The team policy, changed by b with a reason.
    changed = flagdesk(b, "policy", "set", "require_review", "false", "--reason", "one operator in December")
    assert changed.returncode == 0, changed.stderr
    assert flagdesk(a, "audit", "verify").returncode == 0

    conn = sqlite3.connect(db)
    try:
        by_action = {}
        for actor, os_user, action in conn.execute("SELECT actor, os_user, action FROM audit ORDER BY id"):
            by_action.setdefault(action, []).append((actor, os_user))
        assert {os_user for rows in by_action.values() for _, os_user in rows} == {a, b}
        assert by_action["notification.claim"] == [(a, a)]
        assert "notification.release" not in by_action
        assert by_action["appeal.review"] == [("lead", a), (b, b)]
        assert by_action["policy.set"] == [(b, b)]
        assert conn.execute("SELECT assignee, assignee_os FROM notifications WHERE id = 1").fetchone() == (a, a)
        assert conn.execute("SELECT author_os, reviewed_by, reviewed_by_os FROM appeals WHERE id = 1").fetchone() \
            == (a, b, b)
        assert conn.execute("SELECT value, set_by_os FROM policy WHERE key = 'require_review'").fetchone() == \
            ("false", b)
    finally:
        conn.close()
    gid = grp.getgrnam(GROUP).gr_gid
    for f in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        if f.exists():
            st = f.stat()
            assert (stat.S_IMODE(st.st_mode), st.st_gid) == (0o660, gid), f
