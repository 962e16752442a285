"""Synthetic Chinese government documents for scale tests and benchmarks (never used by the live site).

Titles, bodies and document numbers are composed from the vocabulary of real disclosure catalogs, so their
length, word mix and segmentation look like the real thing. Bodies are built from a fixed pool of sentences:
that keeps generation fast and lets the segmenter's sentence cache do its work at seeding time.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import chain, pairwise

from gongkai.search import analysis as T

ISSUERS = [
    "国务院办公厅", "省人民政府", "省人民政府办公厅", "市人民政府", "市人民政府办公室", "县人民政府",
    "省发展和改革委员会", "省教育厅", "省科学技术厅", "省工业和信息化厅", "省民政厅", "省财政厅",
    "省人力资源和社会保障厅", "省自然资源厅", "省生态环境厅", "省住房和城乡建设厅", "省交通运输厅",
    "省水利厅", "省农业农村厅", "省商务厅", "省文化和旅游厅", "省卫生健康委员会", "省应急管理厅",
    "省市场监督管理局", "省统计局", "省医疗保障局", "市科学技术局", "市财政局", "区教育局",
]
ACTIONS = [
    "关于印发", "关于做好", "关于进一步加强", "关于开展", "关于公布", "关于组织申报", "关于调整",
    "关于深化", "关于推进", "关于加快", "关于规范", "关于废止", "关于修改",
]
SUBJECTS = [
    "高新技术企业认定管理", "城乡居民基本医疗保险参保缴费", "优化营商环境", "政府信息公开", "安全生产专项整治",
    "农村人居环境整治", "义务教育阶段学生资助", "最低生活保障", "住房公积金提取", "耕地保护", "河长制",
    "中小企业发展专项资金", "科技成果转化", "生态环境保护督察", "老旧小区改造", "就业创业补贴",
    "食品安全监督抽检", "重大行政决策程序", "行政执法公示", "规范性文件清理", "数字政府建设",
    "养老服务体系建设", "公共法律服务", "防汛抗旱", "森林防火", "乡村振兴", "招商引资",
    "职业技能提升行动", "新能源汽车推广应用", "政务服务一网通办", "双随机一公开监管", "基层医疗卫生机构",
    "专利转化运用", "知识产权保护", "统计调查项目", "医疗保障基金监管", "文物保护", "全民健身",
]
TAILS = [
    "管理办法", "实施意见", "工作方案", "实施细则", "暂行规定", "有关事项的通知", "工作的通知",
    "考核办法", "三年行动计划", "情况的通报", "专项行动方案", "指导意见", "工作要点",
]
NEWS_TITLES = [
    "召开{s}工作推进会", "调研{s}工作", "部署{s}重点任务", "{s}工作取得阶段性成效", "举办{s}专题培训班",
    "开展{s}宣传活动", "召开{s}专题会议", "{s}工作情况通报",
]
PREFIXES = ["国办发", "省政发", "省政办发", "市政发", "市政办发", "县政发", "省科发", "省财规", "省人社发",
            "省教发", "银科发", "省环发", "省卫健发", "市科发", "省农发", "省医保发", "省商发", "省统发"]
SENTENCES = [
    "为深入贯彻落实党中央、国务院决策部署，进一步{s}，结合本地实际，制定本{t}。",
    "各地区、各部门要充分认识{s}工作的重要意义，切实加强组织领导，明确责任分工。",
    "坚持以人民为中心的发展思想，统筹推进{s}，着力解决群众急难愁盼问题。",
    "到{y}年底，{s}工作机制基本健全，制度体系更加完善，服务水平明显提升。",
    "县级以上人民政府有关部门按照职责分工，负责{s}的监督管理工作。",
    "申请人应当于{y}年{m}月{d}日前通过政务服务网提交申请材料，逾期不予受理。",
    "对在{s}工作中成绩突出的单位和个人，按照有关规定给予表彰和奖励。",
    "财政部门要加大资金投入，将{s}所需经费纳入同级财政预算，确保各项政策落实到位。",
    "本{t}自{y}年{m}月{d}日起施行，有效期五年。",
    "各单位要加强政策宣传解读，及时回应社会关切，营造良好舆论氛围。",
    "严格落实信息公开制度，除涉及国家秘密、商业秘密和个人隐私外，应当依法主动公开。",
    "市场监管部门要会同有关部门建立健全联合惩戒机制，依法查处违法违规行为。",
    "加强统计监测和评估考核，定期通报{s}工作进展情况，考核结果作为评先评优的重要依据。",
    "企业应当具备独立法人资格，近三年研究开发费用总额占同期销售收入总额的比例符合要求。",
    "认定机构应当在收到申请材料之日起二十个工作日内完成审查，并将结果向社会公示。",
    "公示期内任何单位和个人对公示结果有异议的，可以书面形式向认定机构提出。",
    "鼓励社会资本参与{s}，探索政府和社会资本合作模式，拓宽资金筹措渠道。",
    "推动数据共享和业务协同，实现“一网通办”“跨省通办”，让企业和群众少跑腿。",
    "加强基层队伍建设，开展业务培训，提升工作人员依法行政能力和服务水平。",
    "对弄虚作假骗取补贴资金的，依法追回资金，并按照有关规定追究相关人员责任。",
    "本{t}由省{d2}负责解释，此前有关规定与本{t}不一致的，以本{t}为准。",
    "{y}年全省共完成{s}项目{n}个，完成投资{n}亿元，同比增长{m}%。",
    "会议强调，要把{s}作为当前一项重要政治任务，压紧压实各方责任。",
    "会议要求，各级各部门要对标对表目标任务，倒排工期、挂图作战，确保按期完成。",
    "联系电话：0571-{n}{n}，联系地址：省政府大楼{m}号楼{d}层。",
]
DEPTS = ["财政厅", "科学技术厅", "人力资源和社会保障厅", "教育厅", "生态环境厅", "民政厅", "卫生健康委员会"]


def subject(rng: random.Random) -> str:
    return rng.choice(SUBJECTS)


def title(rng: random.Random, *, news: bool = False) -> str:
    return titled(rng, news=news)[0]


def titled(rng: random.Random, *, news: bool = False) -> tuple[str, frozenset[str]]:
    """A title (what `title` gives, the same draws) and its n-grams (T.grams of it), put together from its
    pieces' n-grams made once and the pairs across their joins."""
    s = subject(rng)
    if news:
        before, after = rng.choice(NEWS_TITLES).split("{s}")
        pieces: tuple[str, ...] = (rng.choice(ISSUERS)[:-2], before, s, after)
    else:
        action = rng.choice(ACTIONS)
        tail = rng.choice(TAILS)
        if action == "关于印发":
            pieces = (rng.choice(ISSUERS), "关于印发《", s, tail, "》的通知")
        else:
            pieces = (rng.choice(ISSUERS), action, s, tail)
    pieces = tuple(filter(None, pieces))
    grams = frozenset().union(*map(_piece_grams, pieces), *(
        _join_grams(a[-1] + b[0]) for a, b in pairwise(pieces)))
    return "".join(pieces), grams


@cache  # a few hundred pieces
def _piece_grams(piece: str) -> frozenset[str]:
    return frozenset(T.grams(T.normalise(piece)))


@cache
def _join_grams(pair: str) -> frozenset[str]:
    """The pair across the join of two pieces, when both sides are letters or digits (one run), else none."""
    normalised = T.normalise(pair)
    return frozenset([normalised]) if T.runs(normalised) == [normalised] else frozenset()


def document_number(rng: random.Random, year: int) -> str:
    return f"{rng.choice(PREFIXES)}〔{year}〕{rng.randint(1, 120)}号"


def _sentence_pool() -> list[str]:
    rng = random.Random(20240101)
    pool = []
    for template in SENTENCES:
        for _ in range(60):
            pool.append(template.format(
                s=subject(rng), t=rng.choice(["办法", "方案", "意见", "规定", "细则"]), y=rng.randint(2015, 2026),
                m=rng.randint(1, 12), d=rng.randint(1, 28), n=rng.randint(10, 999), d2=rng.choice(DEPTS),
            ))
    return sorted(set(pool))


SENTENCE_POOL = _sentence_pool()
_PARAGRAPH_BREAK = "\n"


PARAGRAPHS = 8192  # the paragraph pool's size: bodies of 2–9 of them are as good as all distinct


@dataclass(frozen=True)
class _Paragraph:
    """2–6 of the pool's sentences, with what the index needs of them put together once."""

    text: str
    index: str
    extra: tuple[str, ...]
    cited: frozenset[str]
    mask: int  # its n-grams, as bits over _Pool.vocabulary


@dataclass(frozen=True)
class _Pool:
    """The paragraph pool; the n-grams of the sentences and of the pieces of titles and 文号 as one vocabulary
    (a gram is bit `bit[gram]` of a mask); and for each byte of a mask, the text of each of its 256 values."""

    paragraphs: list[_Paragraph]
    bit: dict[str, int]
    byte_texts: list[list[str]]


@lru_cache(maxsize=1)
def _pool() -> _Pool:
    segmented = [T.segmented(s) for s in SENTENCE_POOL]
    # Every n-gram a synthetic body can hold, and those titles and 文号 can (all but the pairs across two
    # pieces: `document_grams` adds those apart).
    pieces = [*ISSUERS, *ACTIONS, *SUBJECTS, *TAILS, *NEWS_TITLES, *PREFIXES, "0123456789"]
    vocabulary = sorted(set().union(*(p.grams for p in segmented), *(T.grams(T.normalise(p)) for p in pieces)))
    bit = {gram: n for n, gram in enumerate(vocabulary)}
    masks = [sum(1 << bit[g] for g in p.grams) for p in segmented]
    rng = random.Random(20240102)
    paragraphs = []
    for _ in range(PARAGRAPHS):
        chosen = [rng.randrange(len(segmented)) for _ in range(rng.randint(2, 6))]
        mask = 0
        for i in chosen:
            mask |= masks[i]
        paragraphs.append(_Paragraph(
            "".join(SENTENCE_POOL[i] for i in chosen), T.SEP.join(segmented[i].index for i in chosen),
            tuple(w for i in chosen for w in segmented[i].extra), frozenset(k for i in chosen for k in segmented[i].cited),
            mask,
        ))
    byte_texts = [[" ".join(vocabulary[8 * j + b] for b in range(8) if value >> b & 1 and 8 * j + b < len(vocabulary))
                   for value in range(256)] for j in range(-(-len(vocabulary) // 8))]
    return _Pool(paragraphs, bit, byte_texts)


def prepare() -> None:
    """Make the paragraph pool now (before forking workers, so that they share it)."""
    _pool()


def body(rng: random.Random, *, paragraphs: tuple[int, int] = (3, 9)) -> tuple[str, T.Segmented]:
    """Plain text of a document body (paragraphs of 2–6 sentences, about 300–2,500 characters) and its
    segmentation, put together from the pool's sentences segmented once: every sentence ends in 。 and
    paragraphs are joined by a line break, where the segmenter always cuts, so the pieces join into exactly
    what segmenting the whole body gives (tests/demo/test_synthetic.py holds that), at a fraction of the cost;
    no run of letters and digits crosses a sentence's end, so the body's n-grams are its sentences' together."""
    text, segmented, mask = body_parts(rng, paragraphs=paragraphs)
    grams = frozenset(_mask_text(mask).split())
    return text, T.Segmented(segmented.index, segmented.extra, segmented.cited, grams)


def body_parts(rng: random.Random, *, paragraphs: tuple[int, int] = (3, 9)) -> tuple[str, T.Segmented, int]:
    """What `body` gives (the same draws from `rng`), the n-grams apart from the segmentation, as a bit mask
    for `document_grams`. A body is drawn from a pool of PARAGRAPHS paragraphs made once (their text, index
    text, sub-words, citations and n-gram mask joined already): drawing and joining each sentence was half
    the cost of generating an item."""
    pool = _pool().paragraphs
    picks = [pool[i] for i in [rng.randrange(PARAGRAPHS) for _ in range(rng.randint(*paragraphs))]]
    mask = 0
    for p in picks:
        mask |= p.mask
    cited = tuple(sorted(frozenset().union(*(p.cited for p in picks))))
    return (_PARAGRAPH_BREAK.join(p.text for p in picks),
            T.Segmented((T.SEP + _PARAGRAPH_BREAK + T.SEP).join(p.index for p in picks),
                        tuple(chain.from_iterable(p.extra for p in picks)), cited),
            mask)


def _mask_text(mask: int) -> str:
    """The grams of `mask`, space-separated: a byte at a time, each byte's value looked up in a table (a set
    union of the paragraphs' grams, or a walk over the whole vocabulary, cost several times more)."""
    tables = _pool().byte_texts
    return " ".join(filter(None, map(list.__getitem__, tables, mask.to_bytes(len(tables), "little"))))


def document_grams(title_grams: frozenset[str], document_number: str, body_mask: int) -> str:
    """The n-gram text `search.services.document_fields` makes for a synthetic document without attachments
    (the same grams; their order is of no account), from its title's (`titled`) and its body's mask
    (`body_parts`): the title's and the 文号's grams that the body lacks are added after the body's."""
    bit = _pool().bit
    extra = title_grams | T.grams(T.normalise(document_number[:100])) if document_number else title_grams
    others = [g for g in extra if (n := bit.get(g)) is None or not body_mask >> n & 1]
    return " ".join([_mask_text(body_mask), *others])
