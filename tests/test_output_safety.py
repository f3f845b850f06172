"""Stored text cannot attack the next operator's terminal: the command line cleans what it prints, whatever
wrote the database (here: raw sqlite3, as any group member can), and names are checked when they are set."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import pytest

OSC52 = "\x1b]52;c;cm0gLXJmIH4K\x07"  # "set the clipboard to `rm -rf ~`"
BIDI = "\u202e"


def flagdesk(*args, env=None, db):
    import os

    done = subprocess.run([sys.executable, "-m", "console", *args, "--db", str(db)], capture_output=True,
                          text=True, env={**os.environ, "FLAGDESK_NOW": "2026-11-27T08:00:00Z", **(env or {})})
    return done.returncode, done.stdout, done.stderr


@pytest.fixture
def poisoned(tmp_path):
    db = tmp_path / "p.db"
    assert flagdesk("accounts", "add", "North", "--marketplace", "US", db=db)[0] == 0
    notice = tmp_path / "n.txt"
    notice.write_text("Subject: Policy warning\n\nWe received a complaint about ASIN B0AAAAAAAA.\n")
    assert flagdesk("add", "--account", "North", "--file", str(notice), db=db)[0] == 0
    assert flagdesk("contacts", "add", "--account", "North", "--channel", "email", "--summary", "Docs", db=db)[0] == 0
    assert flagdesk("claim", "1", db=db)[0] == 0
    conn = sqlite3.connect(db)  # a group member edits the file by hand
    conn.execute("UPDATE accounts SET name = ?", (f"North{OSC52}{BIDI}",))
    conn.execute("UPDATE notifications SET subject = ?, assignee = ?", (f"Warning{OSC52}", f"eve{OSC52}"))
    conn.execute("UPDATE cases SET summary = ?, opened_by = ?", (f"Docs{OSC52}", f"eve{OSC52}"))
    conn.commit()
    conn.close()
    return db


@pytest.mark.parametrize("command", [
    ["list"], ["show", "1"], ["accounts", "list"], ["contacts", "list"], ["contacts", "show", "1"], ["audit"],
    ["status"], ["claim", "1"],
])
def test_what_the_command_line_prints_carries_no_escape_or_bidi_control(poisoned, command):
    code, out, err = flagdesk(*command, db=poisoned)
    printed = out + err
    assert "\x1b" not in printed and "\x07" not in printed and BIDI not in printed, printed
    assert "52;c;" not in printed  # the OSC went as a whole, not just its ESC


def test_json_keeps_the_data_exact_and_escaped(poisoned):
    code, out, _ = flagdesk("show", "1", "--json", db=poisoned)
    assert code == 0 and "\x1b" not in out and BIDI not in out
    data = json.loads(out)
    assert data["subject"] == f"Warning{OSC52}" and data["account"] == f"North{OSC52}{BIDI}"


@pytest.mark.parametrize("env, args, message", [
    ({"FLAGDESK_OPERATOR": f"eve{OSC52}"}, ["list"], "FLAGDESK_OPERATOR: the operator name holds an unprintable"),
    ({"FLAGDESK_OPERATOR": "x" * 65}, ["list"], "FLAGDESK_OPERATOR: the operator name is 65 characters; at most 64"),
    ({}, ["accounts", "add", f"Bad{BIDI}Name", "--marketplace", "US"], "the account name holds an unprintable"),
    ({}, ["accounts", "add", "Two\nLines", "--marketplace", "US"], "the account name must be one line"),
    ({}, ["accounts", "rename", "North", "y" * 65], "the new name is 65 characters"),
])
def test_names_are_checked_when_they_are_set(poisoned, env, args, message):
    code, out, err = flagdesk(*args, env=env, db=poisoned)
    assert code == 1 and message in err and err.count("\n") == 1 and "\x1b" not in err


def test_standard_output_on_a_full_device_is_one_line_not_a_traceback(poisoned):
    import os

    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "console", "list", "--db", str(poisoned)], stdout=full,
                              stderr=subprocess.PIPE, text=True, env={**os.environ})
    assert done.returncode == 1
    assert done.stderr == "flagdesk: error: cannot write the output: No space left on device\n"


def test_add_refuses_an_oversized_or_binary_input_in_bounded_memory(poisoned, tmp_path):
    assert flagdesk("accounts", "add", "South", "--marketplace", "US", db=poisoned)[0] == 0
    big = tmp_path / "big.txt"
    big.write_bytes(b"A" * (3 * 1024 * 1024))
    code, out, err = flagdesk("add", "--account", "South", "--file", str(big), db=poisoned)
    assert (code, out) == (1, "") and f"{big}: over 2 MB; a notice is a few KB" in err
    binary = tmp_path / "image.png"
    binary.write_bytes(bytes(range(256)) * 800)
    code, out, err = flagdesk("add", "--account", "South", "--file", str(binary), db=poisoned)
    assert (code, out) == (1, "") and f"{binary}: not text (binary data)" in err
    import os

    # The peak memory of one `flagdesk add` fed 3 MB on standard input, measured by a parent of its own.
    probe = ("import resource, subprocess, sys; "
             f"done = subprocess.run([sys.executable, '-m', 'console', 'add', '--account', 'South', '--db', {str(poisoned)!r}], "
             f"stdin=open({str(big)!r}, 'rb'), capture_output=True, text=True); "
             "print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); "
             "print(done.stderr, file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env={**os.environ})
    code, peak_kib = map(int, done.stdout.split())
    assert code == 1 and "standard input: over 2 MB" in done.stderr
    assert peak_kib < 150 * 1024
