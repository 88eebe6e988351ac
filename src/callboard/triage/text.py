"""The one folding of request text, shared by the priority rules and the model.

NFKC turns full-width Chinese punctuation and compatibility forms into their
plain forms, case-folding makes "Gas" and "GAS" one word in every script, and
ё is written е in most Russian text, so a rule or a model need not know both.
"""

from __future__ import annotations

import unicodedata

# Attributes of a contact whose text is the request: the first chat message, an
# e-mail's subject and body, what a PBX transcribed or an integrator wrote.
TEXT_ATTRIBUTES = ("subject", "message", "body", "text", "notes")


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")


def request_text(attributes: dict[str, str]) -> str:
    """The request's words among a contact's attributes, in `TEXT_ATTRIBUTES` order."""
    return "\n".join(attributes[k] for k in TEXT_ATTRIBUTES if attributes.get(k))
