"""SLA policies from a TOML file, validated when it loads.

[calendar]                       # business hours for policies that use them
timezone = "Europe/Kyiv"
hours = { mon = "09:00-18:00", fri = "09:00-16:00" }
holidays = ["2026-12-25"]

[default]
first_response = "4h"
resolution = "3d"
business_hours = true            # count only working time (default true)

[category.gas-leak]              # category wins over queue, queue over default
first_response = "10m"
resolution = "1h"
business_hours = false
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from callboard.business_hours import BusinessHours
from callboard.cases.sla import SlaPolicy
from callboard.domain.durations import seconds
from callboard.errors import BadConfig, BadInput

_POLICY_KEYS = {"first_response", "resolution", "business_hours"}


def load_policies(
    path: Path,
) -> tuple[dict[str, SlaPolicy], dict[str, SlaPolicy], SlaPolicy | None]:
    """(by category, by queue, default)."""
    name = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise BadConfig(name, "(file)", f"not valid TOML: {exc}") from None
    unknown = set(data) - {"calendar", "default", "category", "queue"}
    if unknown:
        raise BadConfig(
            name,
            sorted(unknown)[0],
            "unknown section; expected calendar, default, category or queue",
        )
    calendar = data.get("calendar", {})
    zone = calendar.get("timezone", "UTC")
    if calendar.get("hours"):
        hours = BusinessHours.parse(
            zone, calendar["hours"], calendar.get("holidays", []), source=name
        )
    else:
        hours = BusinessHours.always(zone)
    default = _policy(name, "default", data["default"], hours) if "default" in data else None
    groups = {
        section: {
            key: _policy(name, f"{section}.{key}", body, hours)
            for key, body in _table(name, section, data.get(section, {})).items()
        }
        for section in ("category", "queue")
    }
    return groups["category"], groups["queue"], default


def _table(name: str, key: str, value: Any) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise BadConfig(name, key, "must be a table")
    return value


def _policy(name: str, key: str, body: Any, hours: BusinessHours) -> SlaPolicy:
    body = _table(name, key, body)
    unknown = set(body) - _POLICY_KEYS
    if unknown:
        raise BadConfig(
            name, f"{key}.{sorted(unknown)[0]}", f"unknown key; expected {sorted(_POLICY_KEYS)}"
        )
    targets: dict[str, float | None] = {}
    for target in ("first_response", "resolution"):
        if target not in body:
            targets[target] = None
            continue
        try:
            targets[target] = seconds(body[target], what=target, bare_unit="m")
        except BadInput as exc:
            raise BadConfig(name, f"{key}.{target}", str(exc)) from None
    use_hours = body.get("business_hours", True)
    if not isinstance(use_hours, bool):
        raise BadConfig(name, f"{key}.business_hours", "must be true or false")
    return SlaPolicy(
        name=key,
        first_response_s=targets["first_response"],
        resolution_s=targets["resolution"],
        hours=hours if use_hours else BusinessHours.always(hours.timezone),
    )
