"""The automatic answer to a new e-mail: its case number and when to expect a reply.

The expected time is the queue's own estimate (the engine's expected wait for
the contact) when it has one, and the case's first-response due time from its
SLA policy when it has not; the SLA target is named beside it, so the customer
knows both what is likely and what is promised. Texts are in en, ru, uk and
zh; any other language gets English.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from callboard.channels.language import LANGUAGES

CASE_TAG = "[Case #{case}]"


@dataclass(frozen=True)
class Texts:
    greeting: str
    expected: str  # {when}
    target: str  # {target}
    no_estimate: str
    keep_tag: str  # {tag}


TEXTS = {
    "en": Texts(
        "Thank you for your message. It is now case #{case}, and an agent will answer it.",
        "We expect to reply by {when}.",
        "Our target for a first reply is {target}.",
        "We will reply as soon as an agent is free.",
        "Please keep {tag} in the subject when you write about this again.",
    ),
    "ru": Texts(
        "Спасибо за ваше письмо. Ему присвоен номер обращения #{case}, вам ответит сотрудник.",
        "Мы рассчитываем ответить до {when}.",
        "Наш срок первого ответа: {target}.",
        "Мы ответим, как только освободится сотрудник.",
        "Пожалуйста, сохраните {tag} в теме, если напишете нам об этом снова.",
    ),
    "uk": Texts(
        "Дякуємо за ваш лист. Йому присвоєно номер звернення #{case}, вам відповість працівник.",
        "Ми розраховуємо відповісти до {when}.",
        "Наш термін першої відповіді: {target}.",
        "Ми відповімо, щойно звільниться працівник.",
        "Будь ласка, залиште {tag} у темі, якщо напишете нам про це знову.",
    ),
    "zh": Texts(
        "感谢您的来信。您的请求编号为 #{case}，客服人员会尽快答复。",
        "我们预计在 {when} 之前答复。",
        "我们首次答复的目标时间为 {target}。",
        "客服人员空闲后我们会立即答复。",
        "再次来信时，请在主题中保留 {tag}。",
    ),
}


def case_subject(case_id: int, subject: str) -> str:
    """The subject with the case number in it, once: "[Case #12] Re: no heating"."""
    tag = CASE_TAG.format(case=case_id)
    return subject if tag in subject else f"{tag} {subject}".strip()


def expected_by(now: datetime, ewt_s: float | None, sla_due: datetime | None) -> datetime | None:
    """When a reply is likely: now plus the queue's expected wait, else the SLA's due time."""
    if ewt_s is not None:
        return now + timedelta(seconds=max(ewt_s, 0.0))
    return sla_due


def acknowledgement(
    case_id: int, language: str | None, *, expected: datetime | None, target: str | None
) -> str:
    """The answer's text in the customer's language (English when it is not one of ours)."""
    texts = TEXTS[language if language in LANGUAGES else "en"]
    lines = [texts.greeting.format(case=case_id), ""]
    if expected is not None:
        lines.append(texts.expected.format(when=expected.strftime("%Y-%m-%d %H:%M %Z").strip()))
    else:
        lines.append(texts.no_estimate)
    if target is not None:
        lines.append(texts.target.format(target=target))
    lines += ["", texts.keep_tag.format(tag=CASE_TAG.format(case=case_id))]
    return "\n".join(lines)


UNITS = {
    "en": {"s": "s", "m": "min", "h": "h", "d": "days", "bh": "business hours",
           "bd": "business days"},
    "ru": {"s": "с", "m": "мин", "h": "ч", "d": "дн.", "bh": "рабочих ч", "bd": "рабочих дн."},
    "uk": {"s": "с", "m": "хв", "h": "год", "d": "дн.", "bh": "робочих год",
           "bd": "робочих дн."},
    "zh": {"s": "秒", "m": "分钟", "h": "小时", "d": "天", "bh": "个工作小时", "bd": "个工作日"},
}  # fmt: skip
TARGET_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(bh|bd|s|m|h|d)")


def spoken(target: str, language: str | None) -> str:
    """An SLA target as a customer reads it: "8bh" -> "8 business hours"."""
    units = UNITS[language if language in LANGUAGES else "en"]
    parts = TARGET_PART.findall(target.replace(" ", ""))
    return " ".join(f"{n} {units[u]}" for n, u in parts) if parts else target
