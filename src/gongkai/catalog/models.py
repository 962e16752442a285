"""The disclosure catalog (政府信息公开目录): columns, items, attachments, channels, duty lists."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from gongkai.core.db import Unindexed
from gongkai.core.files import Extraction
from gongkai.core.urls import reverse_cached
from gongkai.orgs.models import Organisation

from .vocabularies import GENRES, STATUTORY_CATEGORIES, TOPICS


class Column(models.Model):
    """栏目: a section of an organisation's disclosure site, in a tree."""

    class UpdateClass(models.TextChoices):
        NEWS = "news", gettext_lazy("动态、要闻类")
        NOTICE_POLICY = "notice_policy", gettext_lazy("通知公告、政策文件类")
        OTHER = "other", gettext_lazy("其他")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="columns")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    name = models.CharField(gettext_lazy("名称"), max_length=60)
    slug = models.SlugField(gettext_lazy("英文标识"), max_length=60)
    description = models.CharField(gettext_lazy("说明"), max_length=300, blank=True)
    statutory_category = models.CharField(
        gettext_lazy("条例类别"), max_length=20, choices=STATUTORY_CATEGORIES, blank=True,
        help_text=gettext_lazy("对应《条例》第二十条的公开类别（如有）。"),
    )
    update_class = models.CharField(gettext_lazy("更新类别"), max_length=20, choices=UpdateClass.choices, default=UpdateClass.OTHER)
    expected_update_days = models.PositiveIntegerField(
        gettext_lazy("应更新周期（天）"), null=True, blank=True, help_text=gettext_lazy("留空表示无固定更新要求。")
    )
    sort_order = models.PositiveIntegerField(gettext_lazy("排序"), default=0)
    is_active = models.BooleanField(gettext_lazy("启用"), default=True)
    is_special_topic = models.BooleanField(
        gettext_lazy("专题专栏"), default=False, help_text=gettext_lazy("围绕一项工作或一个主题开设的专栏（政府网站工作年度报表“专栏专题”）。")
    )
    opened_on = models.DateField(gettext_lazy("开设日期"), null=True, blank=True, help_text=gettext_lazy("专题专栏开设的日期。"))

    class Meta:
        ordering = ["organisation", "sort_order", "id"]
        unique_together = [("organisation", "slug")]
        verbose_name = gettext_lazy("栏目")
        verbose_name_plural = gettext_lazy("栏目")

    def __str__(self) -> str:
        return f"{self.organisation.short_name or self.organisation.name} / {self.name}"

    def get_absolute_url(self) -> str:
        return reverse_cached("portal:column", kwargs={"code": self.organisation.code, "slug": self.slug})


class Channel(models.TextChoices):
    """发布渠道."""

    WEBSITE = "website", gettext_lazy("本机关网站")
    CITY_PORTAL = "city_portal", gettext_lazy("政府门户网站")
    WECHAT = "wechat", gettext_lazy("政务微信")
    WEIBO = "weibo", gettext_lazy("政务微博")


class ItemQuerySet(models.QuerySet["Item"]):
    def live(self, now: Any = None) -> ItemQuerySet:
        """Items the public may see: published, gone live, not withdrawn."""
        # Unindexed: nearly every row has gone live, so the go_live_at index must not drive the plan (core.db).
        return self.alias(_gone_live_at=Unindexed(models.F("go_live_at"))).filter(
            live_revision__isnull=False, _gone_live_at__lte=now or timezone.now()
        )


class Item(models.Model):
    """公开信息: one entry of the disclosure catalog with its metadata.

    The row holds the public version's fields once published; the working copy of an edit lives in its
    latest Revision until review approves it. `get_absolute_url()` is the public address whatever the state;
    the portal answers 404 there unless the item is live.
    """

    class Validity(models.TextChoices):
        VALID = "valid", gettext_lazy("有效")
        EXPIRED = "expired", gettext_lazy("失效")
        ABOLISHED = "abolished", gettext_lazy("废止")

    class Disclosure(models.TextChoices):
        PROACTIVE = "proactive", gettext_lazy("主动公开")
        ON_REQUEST = "on_request", gettext_lazy("依申请公开")
        NOT_DISCLOSED = "not_disclosed", gettext_lazy("不予公开")

    class InterpretationForm(models.TextChoices):
        TEXT = "text", gettext_lazy("文字解读")
        GRAPHIC = "graphic", gettext_lazy("图文解读（一图读懂）")
        PRESS_CONFERENCE = "press_conference", gettext_lazy("新闻发布会")
        VIDEO = "video", gettext_lazy("视频解读")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="items", verbose_name=gettext_lazy("发布机构"))
    column = models.ForeignKey(Column, on_delete=models.PROTECT, related_name="items", verbose_name=gettext_lazy("栏目"))
    index_number = models.CharField(gettext_lazy("索引号"), max_length=80, unique=True, null=True, blank=True)
    title = models.CharField(gettext_lazy("标题"), max_length=300)
    summary = models.CharField(gettext_lazy("内容概述"), max_length=500, blank=True)
    body = models.TextField(gettext_lazy("正文"), blank=True)
    document_number = models.CharField(gettext_lazy("文号"), max_length=100, blank=True, db_index=True)
    written_on = models.DateField(gettext_lazy("成文日期"), null=True, blank=True)
    published_at = models.DateTimeField(gettext_lazy("发布日期"), null=True, blank=True, db_index=True)
    topic = models.CharField(gettext_lazy("主题分类"), max_length=10, choices=TOPICS, default="02")
    genre = models.CharField(gettext_lazy("体裁"), max_length=20, choices=GENRES, default="other")
    keywords = models.CharField(gettext_lazy("关键词"), max_length=200, blank=True)
    source = models.CharField(gettext_lazy("信息来源"), max_length=100, blank=True)
    is_policy = models.BooleanField(gettext_lazy("政策文件"), default=False)
    is_normative = models.BooleanField(gettext_lazy("规范性文件"), default=False)
    validity = models.CharField(gettext_lazy("有效性"), max_length=10, choices=Validity.choices, blank=True)
    effective_on = models.DateField(gettext_lazy("施行日期"), null=True, blank=True)
    expires_on = models.DateField(gettext_lazy("失效日期"), null=True, blank=True)
    abolished_on = models.DateField(gettext_lazy("废止日期"), null=True, blank=True)
    disclosure = models.CharField(gettext_lazy("公开属性"), max_length=20, choices=Disclosure.choices, default=Disclosure.PROACTIVE)
    non_disclosure_reason = models.CharField(gettext_lazy("不予公开理由"), max_length=300, blank=True)
    interprets = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="interpretations",
        verbose_name=gettext_lazy("解读的政策文件"),
    )
    interpretation_form = models.CharField(gettext_lazy("解读形式"), max_length=20, choices=InterpretationForm.choices, blank=True)
    no_interpretation_reason = models.CharField(gettext_lazy("无解读说明"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    lock_version = models.PositiveIntegerField(default=0, help_text="optimistic lock: refused if it moved under you")
    live_revision = models.ForeignKey(
        "review.Revision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    go_live_at = models.DateTimeField(null=True, blank=True, db_index=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.CharField(gettext_lazy("撤稿理由"), max_length=300, blank=True)
    # 信息报送: a copy of another site's item, taken into a column of this organisation's site (gongkai.syndication).
    # The copy has no index number of its own: its page shows the source's and names the source as canonical.
    copy_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="copies",
        verbose_name=gettext_lazy("报送来源"),
    )

    objects = ItemQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["column", "-published_at", "-id"]),
            models.Index(fields=["organisation", "-published_at", "-id"]),
            models.Index(fields=["topic", "-published_at"]),
            models.Index(fields=["genre", "-published_at"]),
            # The catalog browser's topic + genre pair: without it a pair with few matches walked every item of
            # the topic (2.4 s at 1,000,000 items on SQLite, docs/benchmarks.md).
            models.Index(fields=["topic", "genre", "-published_at", "-id"], name="catalog_item_topic_genre"),
        ]
        verbose_name = gettext_lazy("公开信息")
        verbose_name_plural = gettext_lazy("公开信息")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse_cached("portal:item", kwargs={"pk": self.pk})

    @property
    def is_live(self) -> bool:
        return self.live_revision_id is not None and self.go_live_at is not None and self.go_live_at <= timezone.now()

    @property
    def is_interpretation(self) -> bool:
        return self.interprets_id is not None


def attachment_path(instance: Attachment, filename: str) -> str:
    item = instance.item
    org = item.organisation if instance.organisation_id is None and item is not None else instance.organisation
    return f"attachments/{org.code}/{timezone.now():%Y/%m}/{instance.sha256[:16]}.{instance.extension}"


class Attachment(models.Model):
    """附件: a file attached to an item, or a picture in its body (正文图片); immutable once uploaded.

    Which revision lists it decides if it is public: `attachment_ids` for files, `image_ids` for body pictures.
    A picture pasted into a new item's body is stored before the item exists (`item` empty, `organisation`
    set); saving the draft binds it to the item.
    """

    class Purpose(models.TextChoices):
        FILE = "file", gettext_lazy("附件")
        BODY_IMAGE = "body_image", gettext_lazy("正文图片")

    item = models.ForeignKey(Item, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.FILE)
    file = models.FileField(upload_to=attachment_path, max_length=255)
    original_name = models.CharField(gettext_lazy("文件名"), max_length=200)
    mime_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=10)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    text = models.TextField(blank=True, help_text="extracted text, for search and pre-checks")
    text_places = models.JSONField(
        default=list, blank=True, help_text="[offset in text, label] of each page, paragraph or cell (core.files)"
    )
    text_problem = models.CharField(
        max_length=20, blank=True, help_text="why the text could not be wholly read (core.files.ExtractionProblem)"
    )
    text_unread = models.JSONField(default=list, blank=True, help_text="labels of the parts without text")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "id"]
        verbose_name = gettext_lazy("附件")
        verbose_name_plural = gettext_lazy("附件")

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse_cached("portal:attachment", kwargs={"pk": self.pk})

    def save(self, *args: Any, **kwargs: Any) -> None:
        # An item's attachment belongs to the item's organisation (a body picture may come before its item).
        if self.organisation_id is None and self.item is not None:
            self.organisation_id = self.item.organisation_id
        super().save(*args, **kwargs)

    @property
    def extraction(self) -> Extraction:
        """The extracted text with its places, as the pre-checks read it."""
        return Extraction(
            text=self.text,
            places=tuple((int(offset), str(label)) for offset, label in self.text_places or ()),
            problem=self.text_problem,
            unread=tuple(self.text_unread or ()),
        )


class ChannelRecord(models.Model):
    """发布渠道记录: where else an item was published (city portal, WeChat, Weibo), so counts are known."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="channel_records")
    channel = models.CharField(gettext_lazy("渠道"), max_length=20, choices=Channel.choices)
    published_on = models.DateField(gettext_lazy("发布日期"))
    address = models.URLField(gettext_lazy("地址"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "channel"]
        unique_together = [("item", "channel")]
        verbose_name = gettext_lazy("渠道发布记录")
        verbose_name_plural = gettext_lazy("渠道发布记录")

    def __str__(self) -> str:
        return f"{self.item} @ {self.get_channel_display()}"


class DutyList(models.Model):
    """权责清单: an organisation's power list (权力清单) or responsibility list (责任清单), in versions."""

    class Kind(models.TextChoices):
        POWER = "power", gettext_lazy("权力清单")
        RESPONSIBILITY = "responsibility", gettext_lazy("责任清单")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="duty_lists")
    kind = models.CharField(gettext_lazy("类型"), max_length=20, choices=Kind.choices)
    title = models.CharField(gettext_lazy("名称"), max_length=200)
    live_version = models.ForeignKey(
        "DutyListVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["organisation", "kind"]
        unique_together = [("organisation", "kind")]
        verbose_name = gettext_lazy("权责清单")
        verbose_name_plural = gettext_lazy("权责清单")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("portal:duty_list", kwargs={"code": self.organisation.code, "kind": self.kind})


class DutyListVersion(models.Model):
    """One version of a duty list (e.g. 2019.11.10). Reviewed and published like an item; old ones are kept."""

    duty_list = models.ForeignKey(DutyList, on_delete=models.CASCADE, related_name="versions")
    label = models.CharField(gettext_lazy("版本"), max_length=50)
    effective_on = models.DateField(gettext_lazy("调整日期"))
    note = models.CharField(gettext_lazy("调整说明"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    lock_version = models.PositiveIntegerField(default=0)
    live_revision = models.ForeignKey(
        "review.Revision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    go_live_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["duty_list", "-effective_on", "-id"]
        verbose_name = gettext_lazy("权责清单版本")
        verbose_name_plural = gettext_lazy("权责清单版本")

    def __str__(self) -> str:
        return f"{self.duty_list.title}（{self.label}）"

    @property
    def is_live(self) -> bool:
        return self.live_revision_id is not None and self.go_live_at is not None and self.go_live_at <= timezone.now()

    def get_absolute_url(self) -> str:
        return reverse(
            "portal:duty_list_version",
            kwargs={"code": self.duty_list.organisation.code, "kind": self.duty_list.kind, "pk": self.pk},
        )


class DutyEntry(models.Model):
    """权责事项: one entry of a duty-list version."""

    version = models.ForeignKey(DutyListVersion, on_delete=models.CASCADE, related_name="entries")
    order = models.PositiveIntegerField(gettext_lazy("序号"))
    code = models.CharField(gettext_lazy("事项编码"), max_length=50, blank=True)
    name = models.CharField(gettext_lazy("事项名称"), max_length=300)
    category = models.CharField(gettext_lazy("事项类型"), max_length=30)
    basis = models.TextField(gettext_lazy("设定依据"), blank=True)
    responsible_unit = models.CharField(gettext_lazy("承办机构"), max_length=100, blank=True)
    duties = models.TextField(gettext_lazy("责任事项"), blank=True)
    accountability = models.TextField(gettext_lazy("追责情形"), blank=True)

    class Meta:
        ordering = ["version", "order"]
        unique_together = [("version", "order")]
        verbose_name = gettext_lazy("权责事项")
        verbose_name_plural = gettext_lazy("权责事项")

    def __str__(self) -> str:
        return self.name
