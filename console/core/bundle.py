"""The submission bundle of an appeal (`flagdesk appeal export ID --bundle DIR`, F9 in the editor): the plan as
text, each attachment under a name the upload form shows plainly (`01-invoice-2026-10-01-B0C4XK2M9P.pdf`), and
a manifest, as text and as JSON, saying which file covers which ASIN. Pure: names and contents; the desk writes
them (console/store/files.py `write_folder`).
"""

from __future__ import annotations

import json
import re

from console.core.attachments import Attachment

PLAN = "00-plan-of-action.txt"
MANIFEST_TEXT = "manifest.txt"
MANIFEST_JSON = "manifest.json"
MAX_ASINS_IN_NAME = 3


def earlier_files(manifest_json: str | None) -> set[str]:
    """The files an earlier bundle in the folder wrote, from its manifest.json (a forced rewrite replaces
    those and leaves whatever else the folder holds)."""
    found = {PLAN, MANIFEST_TEXT, MANIFEST_JSON}
    try:
        data = json.loads(manifest_json or "{}")
        found |= {f["file"] for f in data.get("files", ()) if isinstance(f, dict) and isinstance(f.get("file"), str)
                  and "/" not in f["file"]}
    except (ValueError, AttributeError, TypeError):
        pass
    return found


def file_name(position: int, a: Attachment) -> str:
    """`NN-kind-date-ASINs.ext`: letters, digits and dashes only, whatever the attached file was called."""
    parts = [f"{position:02d}", a.kind.replace("_", "-"), a.doc_date.isoformat() if a.doc_date else "undated"]
    asins = list(a.asins)
    parts += asins[:MAX_ASINS_IN_NAME]
    if len(asins) > MAX_ASINS_IN_NAME:
        parts.append(f"and-{len(asins) - MAX_ASINS_IN_NAME}-more")
    stem = re.sub(r"[^A-Za-z0-9-]+", "-", "-".join(parts)).strip("-")
    ext = re.sub(r"[^a-z0-9.]", "", a.extension.lower()) or ".bin"
    return stem + ext


def manifest(head: dict, plan_text: str, attachments: list[Attachment], asins: list[str],
             evidence: dict) -> dict[str, bytes]:
    """Every file of the bundle but the attachments' bytes: the plan, manifest.txt and manifest.json.
    `head` names the appeal (appeal_id, notification_id, account, marketplace, revision, written_at);
    `evidence` is the evidence check (status, reason, details)."""
    files = [{"file": file_name(i, a), "attached_as": a.name, "attachment_id": a.id, "kind": a.kind,
              "kind_label": a.kind_label, "date": a.doc_date.isoformat() if a.doc_date else None,
              "asins": list(a.asins), "size": a.size, "sha256": a.sha256}
             for i, a in enumerate(attachments, 1)]
    covers = {asin: [f["file"] for f in files if asin in f["asins"]] for asin in asins}
    data = {**head, "plan": PLAN, "files": files, "asins": covers, "evidence": evidence}
    lines = [f"Appeal #{head['appeal_id']} for notification #{head['notification_id']} "
             f"({head.get('account') or 'no account'} · {head.get('marketplace') or '-'}), "
             f"revision {head.get('revision')}, written {head.get('written_at')}",
             "", f"Plan of Action: {PLAN} (paste it into the appeal form)", "", "Files to upload:"]
    lines += [f"  {f['file']}  {f['kind_label']}, {f['date'] or 'undated'}, {', '.join(f['asins']) or 'no ASIN'}"
              f"  (attached as {f['attached_as']})" for f in files] or ["  (none attached)"]
    lines += ["", "What covers each ASIN:"]
    lines += [f"  {asin}: {', '.join(names) if names else 'nothing'}" for asin, names in covers.items()] or [
        "  (the notification names no ASIN)"]
    lines += ["", f"Evidence check: {evidence['status']}: {evidence['reason']}",
              *(f"  {d}" for d in evidence.get("details", ()))]
    return {PLAN: (plan_text.rstrip("\n") + "\n").encode("utf-8"),
            MANIFEST_TEXT: ("\n".join(lines) + "\n").encode("utf-8"),
            MANIFEST_JSON: (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")}
