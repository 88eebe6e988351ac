"""Fill the reserve tiers with people, by skill and by travel time to the site.

Fastest tiers are filled first, because fewer people can reach the site in 30
minutes than in two hours. Among those who qualify, the one with the fewest
skills and then the longest travel that still fits goes first, which keeps
versatile and nearby people free for the tiers that need them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from callboard.csv_table import parse_number, read_table
from callboard.errors import BadRecord


@dataclass(frozen=True)
class Person:
    name: str
    skills: frozenset[str]
    travel_minutes: float
    available: bool = True


@dataclass(frozen=True)
class Assignment:
    queue: str
    tier: int
    people: tuple[str, ...]
    short: int  # places no one could fill


def assign_reserve(needs: dict[str, dict[int, int]], people: list[Person]) -> list[Assignment]:
    """`needs[queue][tier] = count`; each person fills at most one place."""
    free = [p for p in people if p.available]
    result: list[Assignment] = []
    tiers = sorted({tier for by_tier in needs.values() for tier in by_tier})
    for tier in tiers:
        for queue in sorted(needs):
            wanted = needs[queue].get(tier, 0)
            if not wanted:
                continue
            eligible = [p for p in free if queue in p.skills and p.travel_minutes <= tier]
            eligible.sort(key=lambda p: (len(p.skills), -p.travel_minutes, p.name))
            chosen = eligible[:wanted]
            free = [p for p in free if p not in chosen]
            result.append(
                Assignment(queue, tier, tuple(p.name for p in chosen), wanted - len(chosen))
            )
    return result


def read_people(path: Path) -> list[Person]:
    """CSV `name,skills,travel_minutes[,available]`; skills separated by `;`."""
    _, rows = read_table(path, "people", ["name", "skills", "travel_minutes"])
    people: list[Person] = []
    for line, row in rows:
        travel = parse_number(path, line, "travel_minutes", row["travel_minutes"])
        if travel < 0:
            raise BadRecord(str(path), line, "travel_minutes", "must be >= 0")
        available = row.get("available", "yes").lower() not in ("no", "false", "0")
        skills = frozenset(s.strip() for s in row["skills"].split(";") if s.strip())
        people.append(Person(row["name"], skills, travel, available))
    return people
