"""The waiting line of one queue: strict priority between classes, FIFO by place within.

Contacts that leave by abandoning are dropped lazily (their state is no longer
WAITING) so an abandonment costs O(1) even with thousands in line; contacts
that leave to an agent are removed at once, which keeps the invariant that an
entry in a deque is either waiting or gone for good.
"""

from __future__ import annotations

from collections import deque

from callboard.engine.contact import WAITING, Contact


class WaitingLine:
    """`priorities` lists the classes present, highest first; `count` is live contacts,
    `live[p]` those of class p."""

    __slots__ = ("classes", "count", "live", "priorities")

    def __init__(self) -> None:
        self.classes: dict[int, deque[Contact]] = {}
        self.live: dict[int, int] = {}
        self.priorities: list[int] = []
        self.count = 0

    def push(self, contact: Contact) -> int:
        """Join the back of the contact's priority class; returns its 1-based position,
        in O(classes) since everyone of its class or higher is ahead."""
        priority = contact.priority
        line = self.classes.get(priority)
        if line is None:
            line = self._new_class(priority)
        line.append(contact)
        live = self.live
        live[priority] += 1
        self.count += 1
        if len(live) == 1:
            return self.count
        return sum(n for p, n in live.items() if p >= priority)

    def push_in_place(self, contact: Contact) -> None:
        """Rejoin at the place its `queued_at` earned, as a returned offer does: ahead of
        every contact that queued at the same moment or later (it was served first
        once already)."""
        line = self.classes.get(contact.priority)
        if line is None:
            line = self._new_class(contact.priority)
        index = 0
        for index, other in enumerate(line):  # noqa: B007  (index is used after the loop)
            if other.queued_at >= contact.queued_at:
                break
        else:
            index = len(line)
        line.insert(index, contact)
        self.live[contact.priority] += 1
        self.count += 1

    def head(self, priority: int) -> Contact | None:
        """The first live contact of a class, dropping gone ones on the way."""
        line = self.classes[priority]
        while line:
            first = line[0]
            if first.state == WAITING:
                return first
            line.popleft()
        return None

    def take(self, contact: Contact) -> None:
        """Remove a live contact that is leaving to an agent."""
        line = self.classes[contact.priority]
        if line and line[0] is contact:
            line.popleft()
        else:
            line.remove(contact)
        self.live[contact.priority] -= 1
        self.count -= 1

    def drop(self, contact: Contact) -> None:
        """Count out a contact that left on its own; the caller sets its state first or
        right after, and `head` discards the entry when it reaches the front."""
        self.live[contact.priority] -= 1
        self.count -= 1

    def position(self, contact: Contact) -> int:
        """1-based place in service order: live contacts of higher classes, then earlier ones."""
        ahead = 0
        for priority in self.priorities:
            line = self.classes[priority]
            if priority > contact.priority:
                ahead += sum(1 for other in line if other.state == WAITING)
            elif priority == contact.priority:
                for other in line:
                    if other is contact:
                        return ahead + 1
                    if other.state == WAITING:
                        ahead += 1
        raise KeyError(contact.contact_id)

    def waiting(self) -> list[Contact]:
        """Live contacts in service order."""
        return [c for p in self.priorities for c in self.classes[p] if c.state == WAITING]

    def _new_class(self, priority: int) -> deque[Contact]:
        line: deque[Contact] = deque()
        self.classes[priority] = line
        self.live[priority] = 0
        self.priorities.append(priority)
        self.priorities.sort(reverse=True)
        return line
