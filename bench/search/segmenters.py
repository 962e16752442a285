"""Compare jieba and rjieba: speed on a ~1 MB corpus and the segmentation of policy titles.

    .venv/bin/python bench/search/segmenters.py

The corpus is built from the synthetic-province vocabulary (gongkai.demo.synthetic) so that the run needs
no download; the titles are real shapes of Chinese policy documents.
"""

from __future__ import annotations

import random
import time

import jieba

from gongkai.demo import synthetic

TITLES = [
    "银科发〔2019〕10号",
    "关于印发《高新技术企业认定管理办法》的通知",
    "高新技术企业认定管理办法",
    "国务院办公厅关于进一步优化营商环境更好服务市场主体的实施意见",
    "中华人民共和国政府信息公开条例",
    "关于做好2024年度城乡居民基本医疗保险参保缴费工作的通知",
    "市人民政府关于公布规范性文件清理结果的决定",
]


def corpus(size: int = 1_000_000) -> str:
    rng = random.Random(7)
    parts: list[str] = []
    total = 0
    while total < size:
        text, _ = synthetic.body(rng)
        parts.append(text)
        total += len(text.encode())
    return "\n".join(parts)


def timed(label: str, fn, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    fn(text[:1000])  # warm dictionaries
    start = time.perf_counter()
    words = fn(text)
    took = time.perf_counter() - start
    mb = len(text.encode()) / 1e6
    print(f"{label:<34} {took:6.2f} s  {mb / took:6.2f} MB/s  {len(words):>8} tokens")
    return words


def main() -> None:
    import rjieba

    jieba.setLogLevel(60)
    jieba.initialize()
    text = corpus()
    print(f"corpus: {len(text.encode()) / 1e6:.2f} MB, {len(text)} characters")
    a = timed("jieba.lcut (HMM)", lambda t: jieba.lcut(t), text)
    timed("jieba.lcut (no HMM)", lambda t: jieba.lcut(t, HMM=False), text)
    timed("jieba.lcut_for_search (no HMM)", lambda t: jieba.lcut_for_search(t, HMM=False), text)
    b = timed("rjieba.cut (HMM)", lambda t: rjieba.cut(t), text)
    timed("rjieba.cut (no HMM)", lambda t: rjieba.cut(t, False), text)
    timed("rjieba.cut_for_search (no HMM)", lambda t: rjieba.cut_for_search(t, False), text)
    print(f"same tokens (HMM): {a == b}")
    for title in TITLES:
        print("jieba :", " / ".join(jieba.lcut(title, HMM=False)))
        print("rjieba:", " / ".join(rjieba.cut(title, False)))
        print("jieba search :", " / ".join(jieba.lcut_for_search(title, HMM=False)))
        print("rjieba search:", " / ".join(rjieba.cut_for_search(title, False)))


if __name__ == "__main__":
    main()
