"""Fixed vocabularies of the disclosure catalog: topics (主题分类), genres (体裁), statutory categories."""

from __future__ import annotations

# 主题分类: the State Council's top-level subject classification used on gov.cn catalog pages.
TOPICS: list[tuple[str, str]] = [
    ("01", "国务院组织机构"),
    ("02", "综合政务"),
    ("03", "国民经济管理、国有资产监管"),
    ("04", "财政、金融、审计"),
    ("05", "国土资源、能源"),
    ("06", "农业、林业、水利"),
    ("07", "工业、交通"),
    ("08", "商贸、海关、旅游"),
    ("09", "市场监管、安全生产监管"),
    ("10", "城乡建设、环境保护"),
    ("11", "科技、教育"),
    ("12", "文化、广电、新闻出版"),
    ("13", "卫生、体育"),
    ("14", "人口与计划生育、妇女儿童工作"),
    ("15", "劳动、人事、监察"),
    ("16", "公安、安全、司法"),
    ("17", "民政、扶贫、救灾"),
    ("18", "民族、宗教"),
    ("19", "对外事务"),
    ("20", "港澳台侨工作"),
    ("21", "国防"),
    ("22", "其他"),
]

# 体裁: the fifteen kinds of official document (党政机关公文处理工作条例) plus the other forms catalogs use.
GENRES: list[tuple[str, str]] = [
    ("decision", "决议"),
    ("resolution", "决定"),
    ("order", "命令（令）"),
    ("communique", "公报"),
    ("announcement", "公告"),
    ("public_notice", "通告"),
    ("opinion", "意见"),
    ("notice", "通知"),
    ("circular", "通报"),
    ("report", "报告"),
    ("request", "请示"),
    ("reply", "批复"),
    ("motion", "议案"),
    ("letter", "函"),
    ("minutes", "纪要"),
    ("plan", "规划、计划"),
    ("rules", "办法、规定、细则"),
    ("interpretation", "解读"),
    ("news", "工作动态"),
    ("list", "清单、目录"),
    ("statistics", "统计数据"),
    ("other", "其他"),
]

# 条例 article 20's categories of proactively disclosed information (and the catch-all 21/15).
STATUTORY_CATEGORIES: list[tuple[str, str]] = [
    ("art20_1", "第二十条第（一）项 行政法规、规章和规范性文件"),
    ("art20_2", "第二十条第（二）项 机关职能、机构设置等"),
    ("art20_3", "第二十条第（三）项 规划及相关政策"),
    ("art20_4", "第二十条第（四）项 统计信息"),
    ("art20_5", "第二十条第（五）项 行政许可和其他对外管理服务事项"),
    ("art20_6", "第二十条第（六）项 行政处罚、行政强制"),
    ("art20_7", "第二十条第（七）项 财政预算、决算"),
    ("art20_8", "第二十条第（八）项 行政事业性收费"),
    ("art20_9", "第二十条第（九）项 政府集中采购"),
    ("art20_10", "第二十条第（十）项 重大建设项目"),
    ("art20_11", "第二十条第（十一）项 扶贫、教育、医疗、社会保障、促进就业"),
    ("art20_12", "第二十条第（十二）项 突发公共事件"),
    ("art20_13", "第二十条第（十三）项 监督检查情况"),
    ("art20_14", "第二十条第（十四）项 公务员招考"),
    ("art20_15", "第二十条第（十五）项 其他应当主动公开的信息"),
    ("art21", "第二十一条 市、县级政府及部门应公开的信息"),
]

TOPIC_LABELS = dict(TOPICS)
GENRE_LABELS = dict(GENRES)
