"""Type-ahead: keys typed faster than the console moves its focus wait their turn, in order.

Textual moves the focus (`Widget.focus`) and mounts a pushed screen some messages after the key that asked
for it, and a key is handled in hops: the focused widget, each parent up to the screen, then the app, whose
bindings run last, each hop a message on another queue. Keys queued behind that key (a burst over SSH,
"/safety status:open⏎" in one packet) would go to the old focus: the list's bindings, where `s` hides the
sidebar and `a` opens the appeal editor, and the text would be lost. So after each key the app follows it up
the chain it was sent along, one hop after the other, then waits until the app, the screen and the focused
widget have handled every message queued by then (again if that moved the screen or the focus: a screen's
first focus comes after its mount). A key or paste arriving meanwhile is held, in order, and handed back one
at a time once the wait is over. A wait never outlasts `SETTLE_S`, so a message that never comes cannot stop
the keys.

The held keys are not put back on the app's queue while waiting: the app's loop would spin on them without
ever yielding, and the screen's and the widgets' loops, whose turn the wait is for, would never run.
"""

from __future__ import annotations

from collections import deque

from textual import events

SETTLE_S = 0.25  # the longest a key waits for the one before it to settle
ROUNDS = 4  # how often the screen or focus may move under one key before its keys go on regardless


class TypeAhead:
    """A mixin of the App (before `App`): `on_event` holds keys and pastes until the last key has settled."""

    _unsettled = False
    _held: deque | None = None  # keys and pastes waiting their turn, oldest first
    _handing: object = None  # the held event handed back to the queue, not yet arrived
    _keys_done = 0  # keys handled: the give-up timer's key
    _settle_round = 0  # waits begun: a wait's callbacks count only for the latest

    async def on_event(self, event: events.Event) -> None:
        if not isinstance(event, (events.Key, events.Paste)) or event.is_forwarded:
            await super().on_event(event)
            return
        if self._held is None:
            self._held = deque()
        if event is self._handing:
            self._handing = None
        elif self._unsettled or self._held or self._handing is not None:
            self._held.append(event)  # its turn comes after the keys before it
            return
        self._unsettled = True
        try:
            target = self.focused or self.screen  # where App.on_event sends it
            chain = [*target.ancestors_with_self]  # the hops it bubbles along, up to the app
        except Exception:  # no screen (closing)
            chain = []
        await super().on_event(event)
        self._keys_done += 1
        key = self._keys_done
        self.set_timer(SETTLE_S, lambda: self._give_up(key))
        self._settle_round += 1
        self._follow(chain, 0, self._settle_round)

    def _follow(self, chain: list, hop: int, round_: int) -> None:
        """Run once the key has left `chain[hop - 1]`: wait on the next hop, or settle after the last."""
        if round_ != self._settle_round:
            return
        while hop < len(chain):
            if chain[hop].call_later(self._follow, chain, hop + 1, round_):
                return
            hop += 1  # a closed hop: the key goes no further through it
        self._settle(ROUNDS)

    def _give_up(self, key: int) -> None:
        if key == self._keys_done and self._unsettled:
            self._settled()

    def _settled(self) -> None:
        self._unsettled = False
        self._settle_round += 1  # a late callback of this wait no longer counts
        if self._held:
            self._handing = self._held.popleft()
            if not self.post_message(self._handing):  # closing: the rest of the keys go nowhere
                self._handing = None
                self._held.clear()

    def _settle(self, rounds: int) -> None:
        self._unsettled = True
        self._settle_round += 1
        round_ = self._settle_round
        try:
            screen = self.screen
        except Exception:  # no screen (closing): nothing to wait for
            self._settled()
            return
        where = (screen, screen.focused)
        left = 0

        def done() -> None:
            nonlocal left
            left -= 1
            if left or round_ != self._settle_round:
                return
            try:
                moved = (self.screen, self.screen.focused) != where
            except Exception:
                moved = False
            if moved and rounds > 1:
                self._settle(rounds - 1)
            else:
                self._settled()

        for node in {id(n): n for n in (self, screen, screen.focused) if n is not None}.values():
            if node.call_later(done):
                left += 1
        if not left:
            self._settled()
