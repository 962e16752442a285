"""Factories for the applications tests: applicant input and applications in chosen states."""

from __future__ import annotations

import datetime
from typing import Any

from gongkai.applications.models import ApplicantKind, Delivery, FormWanted
from gongkai.applications.services import ApplicationInput
from gongkai.core.personal_data import resident_id_check_char


def fake_resident_id(serial: int = 1, born: datetime.date = datetime.date(1985, 3, 7)) -> str:
    first17 = f"110105{born:%Y%m%d}{serial % 1000:03d}"
    return first17 + resident_id_check_char(first17)


def applicant_input(**overrides: Any) -> ApplicationInput:
    values: dict[str, Any] = {
        "applicant_kind": ApplicantKind.NATURAL_PERSON, "name": "测试申请人", "id_type": "居民身份证",
        "id_number": fake_resident_id(), "phone": "0000-6012345", "email": "applicant@example.test",
        "address": "明川市金川区示例路1号", "subject": "2024年度科技计划项目立项清单",
        "description": "请公开2024年度市级科技计划项目立项清单（含项目名称、承担单位、资助金额）。",
        "form_wanted": FormWanted.ELECTRONIC, "delivery": Delivery.EMAIL,
    }
    values.update(overrides)
    return ApplicationInput(**values)
