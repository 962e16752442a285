"""`gongkai demo-code`: the code the demo's authenticator shows now (the demo city's published TOTP secret)."""

from __future__ import annotations

import base64
import time
from typing import Any

from django.core.management.base import BaseCommand
from django_otp.oath import totp

from gongkai.demo.city import DEMO_TOTP_SECRET

STEP = 30


class Command(BaseCommand):
    help = ("演示账号的动态验证码：所有须双因素认证的演示账号共用公开的演示密钥（gongkai demo 所建），"
            "本命令显示它此刻的6位验证码，供没有身份验证器应用时走完上手流程。不适用于真实账号。")

    def handle(self, *args: Any, **options: Any) -> None:
        now = time.time()
        code = totp(base64.b32decode(DEMO_TOTP_SECRET), step=STEP, t0=0, digits=6)
        left = STEP - int(now) % STEP
        self.stdout.write(f"{code:06d}")
        self.stderr.write(f"（演示密钥 {DEMO_TOTP_SECRET} 的当前验证码，{left} 秒后更换；同一账号每个验证码只能用一次）")
