"""Property-based fuzzing of what operators feed flagdesk: files to import, pasted notices, filter text,
config files. Nothing raises past the face that called it; every failure is one line naming the file.

tests/test_ingest_email.py and tests/test_ingest_spapi.py fuzz the parsers on bytes; here the whole
import runs (files on disk, format detection, mbox splitting, gzip, Maildir, the store), and the other
inputs get the same treatment. Derandomized, so a run is the same every time.
"""

from __future__ import annotations

import gzip
import itertools
import json
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from console.cli.commands import main
from console.core import config as config_mod
from console.core.config import ConfigError
from console.core.triage import FilterError, parse_filter
from console.store import contacts as cs
from console.store import notifications as notes

FUZZ = settings(max_examples=150, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
_counter = itertools.count()

HEADER_NAMES = st.sampled_from(["From", "To", "Cc", "Subject", "Date", "Message-ID", "Content-Type",
                                "Content-Transfer-Encoding", "Delivered-To", "MIME-Version", "Content-Disposition"])
HEADER_VALUES = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["seller-performance@amazon.com", "notices+nw@ops.example.com", 'multipart/mixed; boundary="b"',
                     "text/html; charset=x-unknown", "base64", "quoted-printable", "=?utf-8?B?w7w=?=",
                     "<same@id>", "Mon, 02 Nov 2026 09:30:00 +0000", "Tue, 99 Foo 99999 99:99:99", "\x1b]52;c;eA==\x07",
                     "[bold red]x[/]", "\u202eevil"]),
)
BODIES = st.one_of(st.text(max_size=300), st.binary(max_size=300).map(lambda b: b.decode("latin-1")),
                   st.sampled_from(["--b\nContent-Type: text/html\n\n<p>x\n--b--\n", "From nobody\n", "\r\n.\r\n"]))


def email_bytes(headers: list[tuple[str, str]], body: str) -> bytes:
    return ("".join(f"{k}: {v}\n" for k, v in headers) + "\n" + body).encode("utf-8", "surrogatepass")


def fresh(tmp_path: Path, suffix: str) -> Path:
    """A new file name per example (the desk and its database are shared by the examples)."""
    return tmp_path / f"fuzz-{next(_counter)}{suffix}"


def check_summary(desk, summary, path: Path, before: int) -> None:
    """Failures and skips are one line each and name the file; what was counted imported is stored."""
    for origin, reason in summary.failed + summary.skipped:
        assert origin.startswith(str(path)), (origin, path)
        assert reason and "\n" not in reason and "\r" not in reason, reason
        assert "\x1b" not in reason
    for line in summary.lines():
        assert "\n" not in line
    after = desk.store.rows("SELECT count(*) AS n FROM notifications")[0]["n"]
    assert after - before == summary.imported


@pytest.fixture
def fuzz_desk(desk):
    desk.add_account("Northwind Home", ["US", "CA"], ["notices+nw@ops.example.com"])
    return desk


def count_rows(desk) -> int:
    return desk.store.rows("SELECT count(*) AS n FROM notifications")[0]["n"]


@FUZZ
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".eml", ".mbox", ".json", ".txt", ".gz", ""]),
       fmt=st.sampled_from(["auto", "eml", "mbox", "spapi"]))
def test_random_bytes_as_any_file_import_or_fail_on_one_line(fuzz_desk, tmp_path, data, suffix, fmt):
    path = fresh(tmp_path, suffix)
    path.write_bytes(gzip.compress(data) if suffix == ".gz" else data)
    before = count_rows(fuzz_desk)
    summary = fuzz_desk.import_paths([path], fmt=fmt)
    check_summary(fuzz_desk, summary, path, before)


@FUZZ
@given(messages=st.lists(st.tuples(st.lists(st.tuples(HEADER_NAMES, HEADER_VALUES), max_size=7), BODIES),
                         min_size=1, max_size=4),
       container=st.sampled_from(["mbox", "maildir", "eml", "eml.gz"]))
def test_random_headers_in_any_container_import_or_fail_on_one_line(fuzz_desk, tmp_path, messages, container):
    path = fresh(tmp_path, "" if container == "maildir" else f".{container}")
    raws = [email_bytes([("From", "seller-performance@amazon.com"), *headers], body) for headers, body in messages]
    if container == "mbox":
        path.write_bytes(b"".join(b"From MAILER-DAEMON Mon Nov  2 09:30:00 2026\n" + r + b"\n" for r in raws))
    elif container == "maildir":
        for sub in ("new", "cur", "tmp"):
            (path / sub).mkdir(parents=True)
        for i, raw in enumerate(raws):
            (path / "new" / f"17629{i}.M{i}P1.box").write_bytes(raw)
    elif container == "eml.gz":
        path.write_bytes(gzip.compress(raws[0]))
    else:
        path.write_bytes(raws[0])
    before = count_rows(fuzz_desk)
    summary = fuzz_desk.import_paths([path])
    check_summary(fuzz_desk, summary, path, before)
    # Importing the same input again adds nothing: everything that landed (or was already there) is a duplicate.
    again = fuzz_desk.import_paths([path])
    assert again.imported == 0 and again.duplicates == summary.imported + summary.duplicates


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["NotificationType", "notificationType", "Payload", "payload", "Messages", "Body",
                         "Message", "accountStatusChangeNotification", "currentAccountStatus", "previousAccountStatus",
                         "EventTime", "notificationId", "performanceMetrics", "marketplaceId", "accountStatuses",
                         "orderDefectRate", "afn", "mfn", "rate", "status", "ahrStatus", "ahr", "warningStates"])
        | st.text(max_size=8), children, max_size=5),
    max_leaves=30,
)


@FUZZ
@given(value=JSON, garble=st.sampled_from(["none", "truncate", "lines", "bom", "sqs", "nul"]),
       account=st.booleans())
def test_random_json_imports_or_fails_on_one_line(fuzz_desk, tmp_path, value, garble, account):
    text = json.dumps(value)
    if garble == "truncate":
        text = text[: max(1, len(text) * 2 // 3)]
    elif garble == "lines":
        text = f"{text}\n{text[::-1]}\n{text}"
    elif garble == "bom":
        text = "\ufeff" + text
    elif garble == "sqs":
        text = json.dumps({"Messages": [{"Body": text}, {"Body": "{"}]})
    elif garble == "nul":
        text = text.replace(":", ":\x00", 1)
    path = fresh(tmp_path, ".json")
    path.write_text(text, encoding="utf-8")
    before = count_rows(fuzz_desk)
    summary = fuzz_desk.import_paths([path], "Northwind Home" if account else None, "spapi")
    check_summary(fuzz_desk, summary, path, before)


PASTES = st.one_of(
    st.text(max_size=600),
    st.lists(st.sampled_from(["Subject:", "ASIN: B0ABC12345", "within 72 hours", "by 31 February 2026",
                              "Order ID: 123-4567890-1234567", "Complaint ID: 99", "\x1b[2J", "\u202e", "\x00",
                              "Dear Seller,", "Policy: [bold]x[/]", "\n", " ", "amazon.de", "99999 days",
                              "in 10000000000 days", "2026-13-45", "\ud800"]), max_size=40).map("".join),
)


@FUZZ
@given(text=PASTES, hours=st.integers(-10**6, 10**6))
def test_paste_extractor_reads_anything(desk, text, hours):
    from datetime import timedelta

    fields = desk.extract(text, desk.now() + timedelta(hours=hours))
    assert "\n" not in fields.subject and "\x1b" not in fields.subject + fields.body
    for value in (*fields.asins, *fields.skus, *fields.order_ids, fields.complaint_id or "", fields.policy or ""):
        assert "\n" not in value and "\x1b" not in value
    assert fields.severity in ("critical", "high", "medium", "low")


FILTERS = st.one_of(
    st.text(max_size=80),
    st.lists(st.sampled_from(["account:", "status:", "severity:", "category:", "cause:", "fate:", "marketplace:", "assignee:", "new",
                              "open,closed", "crit", "x", '"', "'", "(", ")", "*", "OR", "AND", "NOT", "NEAR(",
                              "-", ":", "^", "{", "}", "\x00", "\x1b", "123-4567890-1234567", " "]),
             max_size=12).map("".join),
)


@FUZZ
@given(text=FILTERS)
def test_filter_box_raises_only_one_line_filter_errors(demo, text):
    try:
        f = parse_filter(text, demo.fate_ids(), demo.cause_ids())
        notes.count(demo.store, f)
        notes.list_page(demo.store, f, 0, 5)
    except FilterError as exc:
        assert str(exc) and "\n" not in str(exc), repr(str(exc))
    try:
        cs.list_cases(demo.store, text=text)
    except FilterError as exc:
        assert str(exc) and "\n" not in str(exc)


KEYS = st.sampled_from(["db_path", "operator", "theme", "mark_read_on_open", "keymap", "appeals", "ahr_bands",
                        "severity", "categories", "rules", "sender_patterns", "spapi_accounts", "contact_areas", "nope",
                        '"a\\nb"', '"\\u001b[2J"'])
VALUES = st.sampled_from(["1", "true", '"x"', "[1, 2]", '["a"]', "{ critical = [1] }", "{ x = 1 }",
                          '{ healthy = 1.5 }', '[{ id = "" }]', "[{}]", '"\\u202e"', "1979-05-27", "inf", "nan",
                          '"""\nmulti\nline"""', "{ max_chars = true }", "{ bogus = [\"a\"] }", '{ fate = [{ id = "x", patterns = ["("] }] }',
                          '{ cause = [{ id = "vat", patterns = ["vat"] }] }', '{ cause = 1 }'])
TOMLISH = st.one_of(
    st.lists(st.tuples(KEYS, VALUES), max_size=4).map(lambda kv: "".join(f"{k} = {v}\n" for k, v in kv)),
    st.lists(st.sampled_from(["[appeals]\n", "[keymap]\n", "[[categories]]\n", "[severity]\n", "[[rules.cause]]\n", "[[rules.fate]]\n",
                              'patterns = ["("]\n', 'severity = "high"\n', "x = \n", "= 1\n",
                              '"', "[", "]]\n", "a.b.c = 1\n", "\x00", "\ufeff", "# c\n", "max_chars = 1\n",
                              "quit = 1\n", 'id = "x"\n', "critical = [\"a\", 2]\n"]), max_size=10).map("".join),
    st.text(max_size=120),
)


@FUZZ
@given(text=TOMLISH, raw=st.binary(max_size=40))
def test_config_file_loads_or_fails_on_one_line_naming_it(tmp_path, text, raw):
    path = fresh(tmp_path, ".toml")
    path.write_bytes(text.encode("utf-8", "surrogatepass") + (raw if len(raw) % 3 == 0 else b""))
    try:
        config = config_mod.load(path)
    except ConfigError as exc:
        message = str(exc)
        assert message.startswith(f"{path}: "), message
        assert "\n" not in message and "\r" not in message and "\x1b" not in message, repr(message)
        return
    # What loaded is usable: the settings the console reads at start all have their shape.
    assert isinstance(config.keymap, dict) and isinstance(config.appeals, dict)
    assert config.rules().fates and config.operator


def test_cli_reports_a_bad_config_on_one_line(tmp_path, capsys):
    """The key found by the fuzzer above: a quoted TOML key holding a newline and an escape sequence."""
    path = tmp_path / "bad.toml"
    path.write_text('"unknown\\nkey\\u001b[2J" = 1\n', encoding="utf-8")
    assert tomllib.loads(path.read_text()) == {"unknown\nkey\x1b[2J": 1}
    with pytest.raises(SystemExit) as exit_:
        main(["--config", str(path), "status"])
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert err == f"flagdesk: error: {path}: unknown setting 'unknown key'\n"
