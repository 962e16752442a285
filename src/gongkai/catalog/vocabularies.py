"""Fixed vocabularies of the disclosure catalog: topics (主题分类), genres (体裁), statutory categories."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# 主题分类: the State Council's top-level subject classification used on gov.cn catalog pages.
TOPICS: list[tuple[str, StrOrPromise]] = [
    ("01", gettext_lazy("国务院组织机构")),
    ("02", gettext_lazy("综合政务")),
    ("03", gettext_lazy("国民经济管理、国有资产监管")),
    ("04", gettext_lazy("财政、金融、审计")),
    ("05", gettext_lazy("国土资源、能源")),
    ("06", gettext_lazy("农业、林业、水利")),
    ("07", gettext_lazy("工业、交通")),
    ("08", gettext_lazy("商贸、海关、旅游")),
    ("09", gettext_lazy("市场监管、安全生产监管")),
    ("10", gettext_lazy("城乡建设、环境保护")),
    ("11", gettext_lazy("科技、教育")),
    ("12", gettext_lazy("文化、广电、新闻出版")),
    ("13", gettext_lazy("卫生、体育")),
    ("14", gettext_lazy("人口与计划生育、妇女儿童工作")),
    ("15", gettext_lazy("劳动、人事、监察")),
    ("16", gettext_lazy("公安、安全、司法")),
    ("17", gettext_lazy("民政、扶贫、救灾")),
    ("18", gettext_lazy("民族、宗教")),
    ("19", gettext_lazy("对外事务")),
    ("20", gettext_lazy("港澳台侨工作")),
    ("21", gettext_lazy("国防")),
    ("22", gettext_lazy("其他")),
]

# 体裁: the fifteen kinds of official document (党政机关公文处理工作条例) plus the other forms catalogs use.
GENRES: list[tuple[str, StrOrPromise]] = [
    ("decision", gettext_lazy("决议")),
    ("resolution", gettext_lazy("决定")),
    ("order", gettext_lazy("命令（令）")),
    ("communique", gettext_lazy("公报")),
    ("announcement", gettext_lazy("公告")),
    ("public_notice", gettext_lazy("通告")),
    ("opinion", gettext_lazy("意见")),
    ("notice", gettext_lazy("通知")),
    ("circular", gettext_lazy("通报")),
    ("report", gettext_lazy("报告")),
    ("request", gettext_lazy("请示")),
    ("reply", gettext_lazy("批复")),
    ("motion", gettext_lazy("议案")),
    ("letter", gettext_lazy("函")),
    ("minutes", gettext_lazy("纪要")),
    ("plan", gettext_lazy("规划、计划")),
    ("rules", gettext_lazy("办法、规定、细则")),
    ("interpretation", gettext_lazy("解读")),
    ("news", gettext_lazy("工作动态")),
    ("list", gettext_lazy("清单、目录")),
    ("statistics", gettext_lazy("统计数据")),
    ("other", gettext_lazy("其他")),
]

# 条例 article 20's categories of proactively disclosed information (and the catch-all 21/15).
STATUTORY_CATEGORIES: list[tuple[str, StrOrPromise]] = [
    ("art20_1", gettext_lazy("第二十条第（一）项 行政法规、规章和规范性文件")),
    ("art20_2", gettext_lazy("第二十条第（二）项 机关职能、机构设置等")),
    ("art20_3", gettext_lazy("第二十条第（三）项 规划及相关政策")),
    ("art20_4", gettext_lazy("第二十条第（四）项 统计信息")),
    ("art20_5", gettext_lazy("第二十条第（五）项 行政许可和其他对外管理服务事项")),
    ("art20_6", gettext_lazy("第二十条第（六）项 行政处罚、行政强制")),
    ("art20_7", gettext_lazy("第二十条第（七）项 财政预算、决算")),
    ("art20_8", gettext_lazy("第二十条第（八）项 行政事业性收费")),
    ("art20_9", gettext_lazy("第二十条第（九）项 政府集中采购")),
    ("art20_10", gettext_lazy("第二十条第（十）项 重大建设项目")),
    ("art20_11", gettext_lazy("第二十条第（十一）项 扶贫、教育、医疗、社会保障、促进就业")),
    ("art20_12", gettext_lazy("第二十条第（十二）项 突发公共事件")),
    ("art20_13", gettext_lazy("第二十条第（十三）项 监督检查情况")),
    ("art20_14", gettext_lazy("第二十条第（十四）项 公务员招考")),
    ("art20_15", gettext_lazy("第二十条第（十五）项 其他应当主动公开的信息")),
    ("art21", gettext_lazy("第二十一条 市、县级政府及部门应公开的信息")),
]

TOPIC_LABELS = dict(TOPICS)
GENRE_LABELS = dict(GENRES)
