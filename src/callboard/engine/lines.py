"""The waiting line of one queue: strict priority between classes, FIFO by place within.

Contacts that leave by abandoning are dropped lazily (their state is no longer
WAITING) so an abandonment costs O(1) even with thousands in line; contacts
that leave to an agent are removed at once, which keeps the invariant that an
entry past a class's `start` is either waiting or gone for good.

Each class is a plain list read from `start` rather than a deque: mypyc
compiles list appends and indexing to direct calls, where every deque method
is a Python-level call, and the line is touched on every queued arrival.
"""

from __future__ import annotations

from typing import Any, Final

from callboard.engine.contact import WAITING, Contact

# Entries before `start` are gone; the list sheds them once they are this many and
# at least half of it, so a long day's line stays as long as its live part.
_SHED_AT: Final = 32


class PriorityClass:
    """The contacts of one priority, in place order from `contacts[start]`; `live`
    counts those still waiting."""

    __slots__ = ("contacts", "live", "start")

    def __init__(self) -> None:
        self.contacts: list[Contact] = []
        self.start = 0
        self.live = 0

    def advance(self, start: int) -> None:
        """Everything before `start` has left the line."""
        contacts = self.contacts
        if start == len(contacts):
            contacts.clear()
            start = 0
        elif start >= _SHED_AT and 2 * start >= len(contacts):
            del contacts[:start]
            start = 0
        self.start = start


class WaitingLine:
    """`priorities` lists the classes present, highest first; `count` is live contacts,
    `classes[p].live` those of class p."""

    __slots__ = ("classes", "count", "priorities")

    def __init__(self) -> None:
        self.classes: dict[int, PriorityClass] = {}
        self.priorities: list[int] = []
        self.count = 0

    def push(self, contact: Contact) -> int:
        """Join the back of the contact's priority class; returns its 1-based position,
        in O(classes) since everyone of its class or higher is ahead."""
        priority = contact.priority
        classes = self.classes
        line = classes.get(priority)
        if line is None:
            line = self._new_class(priority)
        line.contacts.append(contact)
        line.live += 1
        self.count += 1
        if len(classes) == 1:
            return self.count
        return sum(other.live for p, other in classes.items() if p >= priority)

    def push_in_place(self, contact: Contact) -> None:
        """Rejoin at the place its `queued_at` earned, as a returned offer does: ahead of
        every contact that queued at the same moment or later (it was served first
        once already)."""
        line = self.classes.get(contact.priority)
        if line is None:
            line = self._new_class(contact.priority)
        contacts = line.contacts
        index = line.start
        while index < len(contacts) and contacts[index].queued_at < contact.queued_at:
            index += 1
        contacts.insert(index, contact)
        line.live += 1
        self.count += 1

    def head(self, priority: int) -> Contact | None:
        """The first live contact of a class, dropping gone ones on the way."""
        line = self.classes[priority]
        contacts = line.contacts
        start = line.start
        while start < len(contacts):
            first = contacts[start]
            if first.state == WAITING:
                if start != line.start:
                    line.advance(start)
                return first
            start += 1
        line.advance(start)
        return None

    def take(self, contact: Contact) -> None:
        """Remove a live contact that is leaving to an agent."""
        line = self.classes[contact.priority]
        contacts = line.contacts
        start = line.start
        if start < len(contacts) and contacts[start] is contact:
            line.advance(start + 1)
        else:
            # Searched from `start` by identity: an entry before it may be this very
            # contact, taken once already and since put back in place.
            index = start
            while contacts[index] is not contact:
                index += 1
            del contacts[index]
        line.live -= 1
        self.count -= 1

    def drop(self, contact: Contact) -> None:
        """Count out a contact that left on its own; the caller sets its state first or
        right after, and `head` discards the entry when it reaches the front."""
        self.classes[contact.priority].live -= 1
        self.count -= 1

    def position(self, contact: Contact) -> int:
        """1-based place in service order: live contacts of higher classes, then earlier ones."""
        ahead = 0
        for priority in self.priorities:
            line = self.classes[priority]
            entries = line.contacts[line.start :]
            if priority > contact.priority:
                ahead += sum(1 for other in entries if other.state == WAITING)
            elif priority == contact.priority:
                for other in entries:
                    if other is contact:
                        return ahead + 1
                    if other.state == WAITING:
                        ahead += 1
        raise KeyError(contact.contact_id)

    def waiting(self) -> list[Contact]:
        """Live contacts in service order."""
        return [
            c
            for p in self.priorities
            for c in self.classes[p].contacts[self.classes[p].start :]
            if c.state == WAITING
        ]

    def to_data(self) -> list[list[Any]]:
        """[priority, [contact ids in place order]] per class, highest first: a snapshot's."""
        data: list[list[Any]] = []
        for priority in self.priorities:
            line = self.classes[priority]
            ids = [c.contact_id for c in line.contacts[line.start :] if c.state == WAITING]
            data.append([priority, ids])
        return data

    def load(self, data: list[list[Any]], contacts: dict[str, Contact]) -> None:
        """Fill an empty line from `to_data`'s form, with the center's contacts by id."""
        for priority, ids in data:
            line = self._new_class(priority)
            line.contacts = [contacts[i] for i in ids]
            line.live = len(ids)
            self.count += len(ids)

    def _new_class(self, priority: int) -> PriorityClass:
        line = PriorityClass()
        self.classes[priority] = line
        self.priorities.append(priority)
        self.priorities.sort(reverse=True)
        return line
