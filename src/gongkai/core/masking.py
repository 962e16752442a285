"""Keep personal data out of logs."""

from __future__ import annotations

import logging

from .personal_data import mask_text


class PersonalDataLogFilter(logging.Filter):
    """Masks identity numbers, phone numbers, bank cards and e-mail addresses in every log record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is still logged, just not rewritten
            return True
        masked = mask_text(message)
        if masked != message:
            record.msg = masked
            record.args = None
        return True
