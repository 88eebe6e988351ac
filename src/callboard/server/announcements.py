"""A queue's announcement in the caller's language.

A supervisor's emergency (or any mode) message travels in the engine's
`SetMode` as one text, journaled with it. A message given in several languages
is kept there as a JSON object from language code to text, with the plain
message under "" for callers whose language the queue lacks; `decode` and
`text_for` are the only readers of that form.
"""

from __future__ import annotations

import json
from typing import Any

FALLBACK = ""


def encode(message: str | None, by_language: dict[str, str]) -> str | None:
    """The engine's message for a plain text plus its translations."""
    if not by_language:
        return message
    texts = {FALLBACK: message or next(iter(by_language.values())), **by_language}
    return json.dumps(texts, ensure_ascii=False, sort_keys=True)


def decode(message: str | None) -> dict[str, str]:
    """Language code to text ("" is the fallback); empty when there is no message."""
    if not message:
        return {}
    if message.startswith("{"):
        try:
            texts = json.loads(message)
        except ValueError:
            texts = None
        if isinstance(texts, dict) and all(isinstance(v, str) for v in texts.values()):
            return {str(k): v for k, v in texts.items()}
    return {FALLBACK: message}


def text_for(message: str | None, language: str | None) -> str | None:
    """The text for `language` ("ru", "uk-UA", ...), else the fallback; None without one."""
    texts = decode(message)
    if not texts:
        return None
    if language:
        lang = language.lower()
        for key in (lang, lang.split("-")[0]):
            if key in texts:
                return texts[key]
    return texts.get(FALLBACK) or next(iter(texts.values()))


def shown(status: dict[str, Any]) -> dict[str, Any]:
    """A queue status as the API shows it: `message` the plain text, `messages` by language."""
    raw = status["message"]
    texts = decode(raw)
    return {
        **status,
        "message": text_for(raw, None),
        "messages": {k: v for k, v in texts.items() if k != FALLBACK},
    }
