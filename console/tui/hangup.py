"""A dropped SSH session (SIGHUP) or a SIGTERM: save the open drafts, then leave within 2 s, whatever Textual does.

`install` runs in `run_console` before the app exists (so a hang-up during start-up finds it in place);
the app `attach`es itself once mounted. On the first SIGHUP or SIGTERM the handler (Python runs it in the
main thread, between two bytecodes of whatever the main thread was doing):

- arms the watchdog first: a daemon thread calling `os._exit(128 + signal)` after WATCHDOG_S, and behind it
  a real-time timer whose SIGALRM (default action) ends the process from the kernel even if some thread
  holds the GIL for good;
- before the app is mounted (imports, config, database, compose): nothing can be typed yet, so it leaves
  at once;
- once mounted: it hands the saving to the event loop (`call_soon_threadsafe`, signal-safe: asyncio's own
  signal handling queues its callbacks the same way). Saving right here could land in the middle of the
  main thread's own SQLite transaction or widget update. The app then flushes every screen (the appeal
  editor stores its draft through the Desk: synchronous SQLite, nothing written to the terminal) and exits.

On a hang-up the terminal is gone, and Textual 8.2.8 cannot shut down on a dead one: the kernel follows
SIGHUP with SIGCONT, whose Textual handler restarts "application mode" with a new writer thread; that
thread dies on the first write (EIO), its bounded queue (30 writes) fills, and the next write blocks the
main thread for ever (`App._shutdown -> LinuxDriver.disable_input -> WriterThread.write -> Queue.put`).
So on SIGHUP the handler puts SIGCONT back to its default and the app's terminal output is dropped
(`mute_output`) before it exits; the watchdog covers whatever else may hang.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import termios
import threading
from typing import Any

WATCHDOG_S = 1.5  # from the signal to os._exit, should the app not be gone by then
BACKSTOP_S = 2.0  # from the signal to SIGALRM's default action (the kernel ends the process)
SIGNALS = (signal.SIGHUP, signal.SIGTERM)

_app: Any = None
_loop: asyncio.AbstractEventLoop | None = None
_fired = 0  # the signal being handled
_previous: dict[int, Any] = {}
_tty_attrs: tuple[int, list] | None = None


def install() -> None:
    """Handle SIGHUP and SIGTERM from now on (the main thread only, as `signal.signal` requires)."""
    global _fired, _tty_attrs
    _fired = 0
    _tty_attrs = None
    try:
        fd = sys.__stdin__.fileno()
        if os.isatty(fd):
            _tty_attrs = (fd, termios.tcgetattr(fd))  # to give the terminal back if SIGTERM lands in start-up
    except (AttributeError, ValueError, OSError, termios.error):  # no terminal, or not one termios knows
        _tty_attrs = None
    for sig in SIGNALS:
        _previous[sig] = signal.signal(sig, _on_signal)


def finish() -> None:
    """The console has closed: the handlers from before `install` back, and after a signal, out with
    128 + its number at once (after SIGHUP without even flushing the streams: the terminal is gone)."""
    code = 128 + _fired if _fired else 0
    detach()
    for sig, handler in _previous.items():
        signal.signal(sig, handler if handler is not None else signal.SIG_DFL)
    _previous.clear()
    if code == 128 + signal.SIGHUP:
        os._exit(code)
    if code:
        sys.exit(code)


def attach(app: Any) -> None:
    """The mounted app, saved and closed through its own event loop from now on (call it from that loop,
    in the main thread). An app run other than by `run_console` installs the handlers here."""
    global _app, _loop
    if not _previous:
        install()
    _loop = asyncio.get_running_loop()
    _app = app


def detach() -> None:
    global _app, _loop
    _app = None
    _loop = None


def _on_signal(signum: int, frame: Any) -> None:
    global _fired
    if _fired:  # tmux's SIGHUP and the kernel's own at the hang-up, or a second kill: already on the way out
        return
    _fired = signum
    code = 128 + signum
    start_watchdog(code)
    hung_up = signum == signal.SIGHUP
    if hung_up:
        # Textual's SIGCONT handler would start application mode again on the dead terminal (see above).
        signal.signal(signal.SIGCONT, signal.SIG_DFL)
    app, loop = _app, _loop
    if app is None or loop is None or loop.is_closed():
        _leave_now(code, restore_tty=not hung_up)
        return
    try:
        loop.call_soon_threadsafe(_close_app, app, hung_up)
    except RuntimeError:  # the loop closed in between
        _leave_now(code, restore_tty=not hung_up)


def _close_app(app: Any, hung_up: bool) -> None:
    """In the app's event loop: drop the terminal output if the terminal is gone, save drafts, exit."""
    if hung_up:
        mute_output(app)
    app.hangup()


def _leave_now(code: int, restore_tty: bool) -> None:
    """Start-up: nothing to save. On a SIGTERM the terminal is still there: give it its modes back first
    (tcsetattr does not block; no escape sequence is written, a write to a stalled terminal would)."""
    if restore_tty and _tty_attrs is not None:
        try:
            termios.tcsetattr(_tty_attrs[0], termios.TCSANOW, _tty_attrs[1])
        except (OSError, termios.error):  # the terminal went meanwhile: nothing to give back
            pass
    os._exit(code)


def start_watchdog(code: int, seconds: float = WATCHDOG_S, backstop: float = BACKSTOP_S) -> None:
    """`os._exit(code)` in `seconds` from a daemon thread, and SIGALRM's default action in `backstop`."""
    try:
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
        signal.setitimer(signal.ITIMER_REAL, backstop)
    except (ValueError, OSError):  # not the main thread: the thread alone
        pass

    def watch() -> None:
        threading.Event().wait(seconds)
        os._exit(code)

    threading.Thread(target=watch, name="flagdesk-hangup-watchdog", daemon=True).start()


class _NullWriter:
    """Stands in for Textual's WriterThread once the terminal is gone: every write dropped, nothing blocks."""

    def write(self, text: str) -> None:
        pass

    def flush(self) -> None:
        pass

    def stop(self) -> None:
        pass

    def isatty(self) -> bool:
        return True


def mute_output(app: Any) -> None:
    """Drop what Textual writes to the terminal from now on (best effort: Textual internals, guarded)."""
    driver = getattr(app, "_driver", None)
    if driver is not None and hasattr(driver, "_writer_thread"):
        driver._writer_thread = _NullWriter()
