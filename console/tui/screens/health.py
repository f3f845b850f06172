"""An account's health: Account Health Rating, each metric across snapshots, policy counts, status history."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from console.tui.styles import sheet
from console.tui.widgets.footer import FittingFooter

BAND_STYLE = {"healthy": "bold green", "at_risk": "bold yellow", "unhealthy": "bold red"}
STATUS_STYLE = {"GOOD": "green", "BAD": "bold red", "NONE": "dim"}


def _rate(m: dict) -> str:
    return f"{m['rate'] * 100:.2f}%" if m.get("rate") is not None else "—"


def health_text(account, data: dict) -> Text:
    text = Text()
    summary = data["summary"]
    text.append(f"{account.name}\n", style="bold")
    if not summary:
        text.append("No health data yet. Import a seller performance report (GET_V2_SELLER_PERFORMANCE_REPORT)\n"
                    f"or ACCOUNT_STATUS_CHANGED notifications: flagdesk import report.json --account \"{account.name}\"",
                    style="dim")
        return text
    text.append("Account status ")
    text.append(summary["status"] or "unknown", style="bold")
    text.append("   Account Health Rating ")
    band = summary["ahr_band"]
    text.append(f"{summary['ahr_status'] or '—'}"
                f"{' ' + str(summary['ahr_score']) if summary['ahr_score'] is not None else ''}"
                f"{' (' + band.replace('_', ' ') + ')' if band else ''}", style=BAND_STYLE.get(band or "", "bold"))
    text.append("\n")
    if summary["bad_metrics"]:
        text.append("BAD now: " + ", ".join(summary["bad_metrics"]) + "\n", style="bold red")
    by_mp: dict[str, list[dict]] = {}
    for snap in data["snapshots"]:
        by_mp.setdefault(snap["marketplace"], []).append(snap)
    for mp, snaps in by_mp.items():
        text.append(f"\n{mp}", style="bold underline")
        text.append(f"  {len(snaps)} snapshot{'s' if len(snaps) != 1 else ''}, oldest first", style="dim")
        if mp not in account.marketplaces:
            text.append(f"  not listed for {account.name} (flagdesk accounts add-marketplace)", style="yellow")
        text.append("\n")
        dates = [s["imported_at"][:10] for s in snaps]
        text.append(f"{'':<34}" + "".join(f"{d:>14}" for d in dates) + "\n", style="dim")
        text.append(f"{'account status':<34}" + "".join(f"{(s['account_status'] or '—'):>14}" for s in snaps) + "\n")
        text.append(f"{'AHR':<34}" + "".join(
            f"{((s['ahr_status'] or '—') + (' ' + str(s['ahr_score']) if s['ahr_score'] is not None else '')):>14}"
            for s in snaps) + "\n")
        names = []
        for s in snaps:
            for m in s["metrics"]:
                key = (m["name"], m.get("channel"))
                if key not in names:
                    names.append(key)
        for name, channel in names:
            label = name.replace("_", " ") + (f" ({channel})" if channel else "")
            text.append(f"{label:<34}")
            for s in snaps:
                m = next((m for m in s["metrics"] if (m["name"], m.get("channel")) == (name, channel)), None)
                cell = f"{_rate(m)} {m.get('status') or ''}".strip() if m else "—"
                text.append(f"{cell:>14}", style=STATUS_STYLE.get((m or {}).get("status") or "", ""))
            text.append("\n")
        policies = []
        for s in snaps:
            policies += [p for p in s["policy_counts"] if p not in policies]
        for p in policies:
            text.append(f"{p.replace('_', ' '):<34}")
            previous = None
            for s in snaps:
                count = s["policy_counts"].get(p)
                rose = previous is not None and count is not None and count > previous
                text.append(f"{'—' if count is None else count:>14}", style="bold red" if rose else "")
                previous = count if count is not None else previous
            text.append("\n")
    if data["history"]:
        text.append("\nAccount status changes (Selling Partner API: notifications, and reports by marketplace)\n",
                    style="bold underline")
        for h in data["history"]:
            where = f"{h['marketplace']}  " if h.get("source") == "report" else ""
            text.append(f"  {h['at'][:16].replace('T', ' ')}  {where}{h['previous'] or '?'} → ")
            text.append(h["current"], style="bold red" if h["current"] in ("DEACTIVATED", "SUSPENDED", "AT_RISK")
                        else "green")
            text.append("\n")
    return text


class HealthScreen(Screen[None]):
    CSS_PATH = [sheet("health.tcss")]
    BINDINGS = [Binding("escape,h,q", "back", "Back", id="health_back", tooltip="Back to the inbox")]

    def __init__(self, account) -> None:
        super().__init__()
        self.account = account

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="health-box"):
            yield Static(health_text(self.account, self.app.desk.health(self.account)), id="health-body")
        yield FittingFooter()

    def action_back(self) -> None:
        self.dismiss(None)
