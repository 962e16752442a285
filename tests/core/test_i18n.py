"""The translation catalogues: `gongkai makemessages` collects the interface's text into them, the compiled
catalogues are those of the text, and a language with a catalogue is spoken (English here)."""

from __future__ import annotations

import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "gongkai"
CATALOGUE = PACKAGE / "locale" / "en" / "LC_MESSAGES"

needs_gettext = pytest.mark.skipif(
    shutil.which("msgfmt") is None or shutil.which("xgettext") is None,
    reason="GNU gettext (Debian package gettext) is not installed; scripts/bootstrap installs it as root",
)

# Strings wrapped in different parts of the code; makemessages must collect each of them.
SAMPLE = [
    "只有本机关的信息员或管理员可以编辑年度报告。",  # reports/services.py
    "季度应为 1 至 4。",  # reports/services.py
    "%(label)s：不能为空",  # reports/services.py, an f-string turned into named placeholders
    "缺少第%(section)s部分「%(heading)s」",  # reports/check.py and reports/audit/checks.py
    "PDF 文件已加密，需要密码才能打开。",  # reports/audit/readers.py
    "请填写征求意见稿正文。",  # interaction/services/consultations.py
    "已发送提醒邮件：%(count)s 个机构",  # applications/management/commands/applications.py
    "居民身份证",  # applications/services.py, a stored value marked with gettext_noop
    "站点无法访问",  # inspection/indicators.py, module-level gettext_lazy
    "工作人员登录",  # a template
    "综合政务",  # catalog/vocabularies.py, a choice's label
    "（留言时间：%(time)s）",  # a blocktranslate in a portal template
]


def _gongkai(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gongkai", *args], check=True, capture_output=True, text=True, cwd=cwd,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "gongkai.settings"},
    )


@needs_gettext
def test_makemessages_collects_the_wrapped_strings(tmp_path: Path) -> None:
    source = tmp_path / "gongkai"
    shutil.copytree(PACKAGE, source, ignore=shutil.ignore_patterns("__pycache__", "static", "locale"))
    _gongkai("makemessages", "--locale", "en", "--source", str(source), cwd=tmp_path)
    collected = (source / "locale" / "en" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    missing = [text for text in SAMPLE if f'msgid "{text}"' not in collected]
    assert not missing, f"makemessages did not collect: {missing}"
    assert "demo/" not in collected and "migrations/" not in collected  # made-up data is not interface text
    shipped = (CATALOGUE / "django.po").read_text(encoding="utf-8")
    assert [text for text in SAMPLE if f'msgid "{text}"' not in shipped] == [], (
        "the shipped catalogue lacks strings makemessages collects: run `gongkai makemessages -l en`"
    )


@needs_gettext
def test_the_compiled_catalogue_is_the_catalogue(tmp_path: Path) -> None:
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(compiled), str(CATALOGUE / "django.po")], check=True)
    with compiled.open("rb") as fresh, (CATALOGUE / "django.mo").open("rb") as shipped:
        assert gettext.GNUTranslations(shipped)._catalog == gettext.GNUTranslations(fresh)._catalog, (  # type: ignore[attr-defined]
            "django.mo is stale: run `gongkai compilemessages`"
        )


def test_a_catalogue_translates_and_chinese_stays_the_default() -> None:
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert _("季度应为 1 至 4。") == "季度应为 1 至 4。"
    with translation.override("en"):
        assert _("季度应为 1 至 4。") == "The quarter must be 1 to 4."
        assert _("%(label)s：不能为空") % {"label": "Year"} == "Year: this field is required"
        assert _("请填写征求意见稿正文。") == "请填写征求意见稿正文。"  # not translated yet: shown in Chinese


def test_an_operator_offers_languages_by_code(monkeypatch: pytest.MonkeyPatch) -> None:
    from gongkai import settings as gongkai_settings

    monkeypatch.setenv("GONGKAI_LANGUAGES", "en, ug")
    assert gongkai_settings._languages() == [("zh-hans", "简体中文"), ("en", "English"), ("ug", "ئۇيغۇرچە")]
    monkeypatch.setenv("GONGKAI_LANGUAGES", "klingon")
    with pytest.raises(ValueError, match="klingon"):
        gongkai_settings._languages()
