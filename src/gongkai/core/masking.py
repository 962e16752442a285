"""Keep personal data and tracking secrets out of logs and printed mail."""

from __future__ import annotations

import logging

from .personal_data import mask_text
from .secrets import SECRET_RE


def mask_output(text: str) -> str:
    """`text` with identity numbers, phones, bank cards, e-mail addresses and tracking secrets masked."""
    return SECRET_RE.sub("****-****-****", mask_text(text))


class PersonalDataLogFilter(logging.Filter):
    """Masks personal data and tracking secrets in every log record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is still logged, just not rewritten
            return True
        masked = mask_output(message)
        if masked != message:
            record.msg = masked
            record.args = None
        return True
