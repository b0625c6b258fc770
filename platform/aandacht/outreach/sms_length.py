"""How long a text message is for the phone network: its encoding, characters and parts (segments).

A text of only GSM 03.38 characters (GSM-7) fits 160 characters in one message, 153 per part when it
needs several; the characters of the GSM extension table (`€`, `[`, `{`, …) take two places. Any other
character (an emoji, `ş`, Arabic letters) makes the whole text UCS-2: 70 characters in one message,
67 per part, counted in UTF-16 units (an emoji takes two). Providers bill per part.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

#: The GSM 03.38 basic character set (one place each).
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
#: The GSM 03.38 extension table (an escape and the character: two places each).
GSM_EXTENSION = frozenset("^{}\\[~]|€\f")
GSM_SINGLE, GSM_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67


@dataclass(frozen=True)
class SmsLength:
    """A text's encoding (`GSM-7` or `UCS-2`), its length in that encoding, and how many parts it takes."""

    encoding: str
    length: int
    parts: int
    #: How many characters one part holds for this text (160/153 or 70/67).
    per_part: int


def sms_length(text: str) -> SmsLength:
    """The encoding, length and number of parts of `text` as an SMS (0 parts for an empty text)."""
    if all(char in GSM_BASIC or char in GSM_EXTENSION for char in text):
        length = sum(2 if char in GSM_EXTENSION else 1 for char in text)
        single, part, encoding = GSM_SINGLE, GSM_PART, "GSM-7"
    else:
        length = len(text.encode("utf-16-le")) // 2
        single, part, encoding = UCS2_SINGLE, UCS2_PART, "UCS-2"
    if length == 0:
        return SmsLength(encoding, 0, 0, single)
    if length <= single:
        return SmsLength(encoding, length, 1, single)
    return SmsLength(encoding, length, math.ceil(length / part), part)
