"""Command-line tables: a header, aligned columns, a cut that shows itself ("…"), --wide for everything."""

from __future__ import annotations

import pytest

from console.cli import table
from console.cli.commands import main


def test_render_aligns_under_a_header_and_cuts_the_flexible_column_first():
    lines = table.render(["ID", "ACCOUNT", "SUBJECT"], [["1", "Brightwater Goods EU", "A" * 80],
                                                        ["12", "North", "short"]], flex=[2], right=[0], width=50)
    assert lines[0].startswith("ID  ACCOUNT")
    assert lines[1].startswith(" 1  Brightwater Goods EU  ") and lines[1].endswith("…") and len(lines[1]) == 50
    assert lines[2].startswith("12  North                 short")
    assert table.render(["ID", "SUBJECT"], [["1", "A" * 80]], flex=[1], width=50, wide=True)[1].endswith("A" * 80)


def test_a_name_that_must_be_cut_ends_in_an_ellipsis_never_silently():
    lines = table.render(["ACCOUNT", "X"], [["Brightwater Goods EU", "y" * 30]], flex=[1], width=20)
    assert lines[1].split("  ")[0].endswith("…")


@pytest.fixture
def run(tmp_path, capsys, monkeypatch):
    db = tmp_path / "t.db"
    monkeypatch.setenv("FLAGDESK_NOW", "2026-11-27T08:00:00Z")
    monkeypatch.setenv("COLUMNS", "80")

    def _run(*args):
        code = 0
        try:
            main([*args, "--db", str(db)])
        except SystemExit as exc:
            code = exc.code or 0
        return code, capsys.readouterr().out
    assert _run("demo", "--no-open")[0] == 0
    assert _run("contacts", "add", "--account", "Brightwater Goods EU", "--channel", "chat", "--summary",
                "Asked why the UK listings were suppressed and how long the review takes " * 2)[0] == 0
    return _run


def test_list_accounts_and_contacts_print_a_header_and_fit_80_columns(run):
    for command, header in ((["list"], "ID  ACCOUNT"), (["accounts", "list"], "ACCOUNT  "),
                            (["contacts", "list", "--status", "active"], "#  OPENED")):
        code, out = run(*command)
        lines = out.splitlines()
        assert code == 0 and lines[0].lstrip().startswith(header.strip()), out
        assert all(len(line) <= 80 for line in lines), command
    out = run("accounts", "list")[1]
    assert "Brightwater Goods EU" in out  # whole: it fits; names are cut last
    wide = run("list", "--wide")[1]
    assert "Your Amazon.com selling account is at risk of deactivation" in wide
