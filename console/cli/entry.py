"""The `flagdesk` command (and `python -m console`): a plain `flagdesk` opens the console and a plain `status`
takes the quick path, both without click; the rest goes to the click command line.

`flagdesk status` runs from SSH login banners and cron, where start-up is most of its time: click and
the store cost several times what its queries do. So a `status` with only `--json`, `--motd`, `--db`
and `--config` (in any order, `--db=PATH` forms too, `--db`/`--config` also before `status`) prints
through console/cli/status.py without importing either. Anything else (`--help`, another command,
an option this does not know, a value that looks like an option) goes to the click command line, and
so does a plain `status` whenever the quick path declines (see `quick_status`).
"""

from __future__ import annotations

import sys

_VALUED = ("--db", "--config")
_FLAGS = ("--json", "--motd")


def plain_status(argv: list[str]) -> dict | None:
    """The options of a plain `status` invocation, or None when argv is anything else."""
    found: dict = {"db": None, "config": None, "as_json": False, "motd": False}
    seen_status = False
    args = iter(argv)
    for arg in args:
        if arg == "status" and not seen_status:
            seen_status = True
        elif arg in _FLAGS and seen_status:
            found["as_json" if arg == "--json" else "motd"] = True
        elif arg.split("=", 1)[0] in _VALUED:
            name, eq, value = arg.partition("=")
            if not eq:
                value = next(args, "")
            if not value or value.startswith("-"):
                return None  # click's to judge: a missing value, or one that looks like an option
            found[name[2:]] = value  # later wins, as in click (a command's own option over the group's)
        else:
            return None
    return found if seen_status else None


def plain_console(argv: list[str]) -> dict | None:
    """The options of a plain `flagdesk` (the console: nothing but --db and --config), or None."""
    found: dict = {"db": None, "config": None}
    args = iter(argv)
    for arg in args:
        name, eq, value = arg.partition("=")
        if name not in _VALUED:
            return None
        if not eq:
            value = next(args, "")
        if not value or value.startswith("-"):
            return None  # click's to judge
        found[name[2:]] = value
    return found


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else list(argv)
    console = plain_console(args)
    if console is not None:
        # The console needs none of the command line's modules (click alone costs its first paint ~40 ms).
        from console.cli.launch import open_console

        open_console(**console)
        return
    options = plain_status(args)
    if options is not None:
        from console.cli.status import quick_status

        try:
            if quick_status(**options):
                return
        except KeyboardInterrupt:
            sys.exit(130)  # as cli.main does
    from console.cli.commands import main as cli_main

    cli_main(args)


if __name__ == "__main__":
    main()
