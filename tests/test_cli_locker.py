"""`flagdesk appeal attach | attachments | detach` and `appeal export --bundle`, run as an operator runs them."""

from __future__ import annotations

import io
import json
import sys

import pytest
from PIL import Image

from console.cli.commands import main

ASINS = ["B0C7K2M9QX", "B0D3HT58WN"]  # notification 1 of the demo data: an authenticity complaint


@pytest.fixture
def run(tmp_path, call, monkeypatch):
    monkeypatch.setenv("FLAGDESK_NOW", "2026-11-27T08:00:00Z")
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    monkeypatch.setenv("COLUMNS", "100")

    def _run(*args):
        return call(main, *args, "--db", str(tmp_path / "cli.db"))

    assert _run("demo", "--no-open")[0] == 0
    return _run


def picture(path, fmt):
    Image.new("RGB", (20, 12), (30, 120, 200)).save(path, format=fmt)
    return str(path)


def test_attach_list_detach_from_the_command_line(run, tmp_path):
    assert run("appeal", "new", "1")[1].strip() == "1"
    invoice = picture(tmp_path / "invoice.pdf", "PDF")
    code, out, err = run("appeal", "attach", "1", invoice, "--kind", "invoice", "--date", "2026-10-01",
                         "--asin", ASINS[0], "--asin", ASINS[1].lower())
    assert (code, out) == (0, "1\n"), err
    assert err.startswith(f"appeal #1: attached invoice.pdf as #1 (invoice, 2026-10-01, {ASINS[0]}, {ASINS[1]}, ")
    code, out, err = run("appeal", "attach", "1", picture(tmp_path / "supplier.png", "PNG"), "--kind",
                         "supplier_details")
    assert (code, out) == (0, "2\n"), err
    code, out, _ = run("appeal", "attachments", "1", "--json")
    data = json.loads(out)
    assert [(a["id"], a["name"], a["kind"], a["date"], a["asins"], a["mime"]) for a in data] == [
        (1, "invoice.pdf", "invoice", "2026-10-01", ASINS, "application/pdf"),
        (2, "supplier.png", "supplier_details", None, ASINS, "image/png")]
    assert data[0]["size"] == (tmp_path / "invoice.pdf").stat().st_size and len(data[0]["sha256"]) == 64
    code, out, _ = run("appeal", "attachments", "1")
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "KIND", "DATE", "ASINS", "SIZE", "NAME"]
    assert lines[1].split()[:3] == ["1", "invoice", "2026-10-01"] and lines[1].endswith("invoice.pdf")
    assert lines[2].split()[:4] == ["2", "supplier", "details", "-"]
    shown = json.loads(run("appeal", "show", "1", "--json")[1])
    assert [a["name"] for a in shown["attachments"]] == ["invoice.pdf", "supplier.png"]
    assert "attachments: 2 (invoice, supplier_details; `flagdesk appeal attachments 1`)\n" in run("appeal", "show", "1")[1]
    code, out, _ = run("appeal", "check", "1", "--json")
    evidence = next(c for c in json.loads(out)["checks"] if c["id"] == "evidence")
    assert evidence["status"] == "pass", evidence
    assert run("appeal", "detach", "1", "2") == (0, "appeal #1: detached #2 supplier.png\n", "")
    assert [a["id"] for a in json.loads(run("appeal", "attachments", "1", "--json")[1])] == [1]
    code, out, err = run("appeal", "detach", "1", "2")
    assert (code, err) == (1, "flagdesk: error: appeal #1 has no attachment #2\n")
    audit = run("audit", "--json")[1]
    assert "appeal.attach" in audit and "appeal.detach" in audit


@pytest.mark.parametrize(("name", "content", "args", "message"), [
    ("invoice.pdf", b"MZ\x90\x00" + b"\x00" * 60, ("--kind", "invoice"),
     "invoice.pdf: named .pdf but holds a Windows program, not a PDF"),
    ("invoice.txt", b"hello", ("--kind", "invoice"), "invoice.txt: .txt is not accepted; attach PDF, JPG/JPEG, PNG, GIF, TIF/TIFF"),
    ("photo.gif", b"GIF89a" + b"\x00" * 20, ("--kind", "selfie"), "kind 'selfie': one of invoice, supplier_details, "
     "letter_of_authorisation, licence, trademark_registration, photo, other"),
])
def test_a_refused_file_is_one_line_and_exit_1(run, tmp_path, name, content, args, message):
    run("appeal", "new", "1")
    (tmp_path / name).write_bytes(content)
    code, out, err = run("appeal", "attach", "1", str(tmp_path / name), *args)
    assert (code, out, err) == (1, "", f"flagdesk: error: {message}\n")
    assert json.loads(run("appeal", "attachments", "1", "--json")[1]) == []


def test_the_size_limit_comes_from_the_config(run, tmp_path, monkeypatch):
    run("appeal", "new", "1")
    config = tmp_path / "config.toml"
    config.write_text("[appeals]\nattachment_max_mb = 0.001\n")  # 1 KB
    big = tmp_path / "scan.tif"
    Image.frombytes("RGB", (40, 40), bytes(i % 251 for i in range(4800))).save(big, format="TIFF")
    code, _, err = run("appeal", "attach", "1", str(big), "--kind", "photo", "--config", str(config))
    assert code == 1 and err == f"flagdesk: error: scan.tif: {big.stat().st_size / 1024:.0f} KB, over the limit of 1 KB\n"
    assert run("appeal", "attach", "1", str(big), "--kind", "photo")[0] == 0  # the default: 10 MB


def test_export_bundle_writes_the_folder_and_refuses_a_full_one(run, tmp_path):
    run("appeal", "new", "1")
    run("appeal", "attach", "1", picture(tmp_path / "inv.jpg", "JPEG"), "--kind", "invoice", "--date", "2026-10-01",
        "--asin", ASINS[0])
    folder = tmp_path / "bundle"
    code, out, err = run("appeal", "export", "1", "--bundle", str(folder))
    assert code == 0, err
    assert out.splitlines() == [
        f"Wrote the bundle of appeal #1 to {folder}: the plan, 1 attachment, manifest.txt and manifest.json",
        f"evidence: fail: 2 ASINs not covered: {ASINS[0]} needs supplier details; {ASINS[1]} needs invoice dated "
        "within 365 days and supplier details"]
    assert sorted(p.name for p in folder.iterdir()) == [
        "00-plan-of-action.txt", f"01-invoice-2026-10-01-{ASINS[0]}.jpg", "manifest.json", "manifest.txt"]
    assert json.loads((folder / "manifest.json").read_text())["asins"] == {
        ASINS[0]: [f"01-invoice-2026-10-01-{ASINS[0]}.jpg"], ASINS[1]: []}
    code, out, err = run("appeal", "export", "1", "--bundle", str(folder))
    assert (code, out) == (1, "")
    assert err.startswith(f"flagdesk: error: {folder}: not empty (4 files, 00-plan-of-action.txt, ")
    assert err.endswith("): choose an empty folder, or --force to replace its bundle\n") and err.count("\n") == 1
    assert run("appeal", "export", "1", "--bundle", str(folder), "--force")[0] == 0


def test_a_kind_may_be_written_as_its_label_or_an_alias(run, tmp_path):
    run("appeal", "new", "2")  # notification 2 of the demo: an IP complaint on B0BQ4V7ZRE
    loa = picture(tmp_path / "loa.pdf", "PDF")
    assert run("appeal", "attach", "1", loa, "--kind", "loa", "--date", "2026-11-01")[0] == 0
    assert run("appeal", "attach", "1", picture(tmp_path / "tm.png", "PNG"), "--kind", "Trademark registration")[0] == 0
    kinds = [a["kind"] for a in json.loads(run("appeal", "attachments", "1", "--json")[1])]
    assert kinds == ["letter_of_authorisation", "trademark_registration"]
    evidence = next(c for c in json.loads(run("appeal", "check", "1", "--json")[1])["checks"] if c["id"] == "evidence")
    assert evidence["status"] == "pass" and evidence["details"] == [
        "B0BQ4V7ZRE: letter of authorisation #1, trademark registration #2"]
