"""Linearity check: reading + extraction of pathological inputs at a size and at twice that size.

Run:  python benchmarks/bench_linear.py [--size 8192] [--only NAME,...] [--timeout 20] [--prefix bare,line,header]

Each case builds text of about ``size`` and ``2 * size`` characters (long runs of mixed white space, digits,
万/亿, Chinese numerals, unmatched quotes and book-title marks, endless 、 lists, repeated 社区/街道/办事处
suffixes, lines without punctuation, many newlines …) and times ``extract(read_report(bytes))`` on one core.
Linear code takes about twice as long at twice the size; quadratic code four times. Cases whose ratio is
above ``--ratio`` (3.0), or which time out, are flagged with ``!!``. Each case is tried bare, after one line
of text (no title: the body gives the years) and after a report header with a title (``--prefix``).
"""

from __future__ import annotations

import argparse
import random
import signal
import time

from govkg.errors import ReportError
from govkg.extract import extract
from govkg.gazetteer import Gazetteer
from govkg.reader import read_report

#: What each case can be put after: nothing, one line of text (no title, so the body gives the years) or a
#: report header with a title and a summary heading.
PREFIXES = {
    "bare": "",
    "line": "情况通报\n",
    "header": "索引号: 11440300MB2C1719XA/2021-00058\n发布机构: 深圳市大鹏新区司法局\n\n大鹏新区司法局2020年工作总结和2021年工作计划\n\n一、2020年工作总结\n",
}


def rep(unit: str):
    """Text of ``unit`` repeated to ``n`` characters."""
    return lambda n: (unit * (n // len(unit) + 1))[:n]


def fuzz(tokens: list[str], seed: int = 7):
    """A deterministic random sequence of ``tokens`` of ``n`` characters."""

    def make(n: int) -> str:
        rnd = random.Random(seed)
        out, k = [], 0
        while k < n:
            t = rnd.choice(tokens)
            out.append(t)
            k += len(t)
        return "".join(out)[:n]

    return make


CASES = {
    # white space
    "ws-ideo-ascii": rep("\u3000 "),
    "ws-ideo-ascii-tab": rep("\u3000 \t"),
    "ws-nbsp-mix": rep("\u00a0\u3000 "),
    "ws-ideo": rep("\u3000"),
    "ws-ascii": rep(" "),
    "ws-year-ideo": lambda n: "2021年" + rep("\u3000 ")(n),
    "ws-heading-ws": lambda n: "一、" + rep("\u3000 ")(n) + "2021年工作计划",
    "newlines": rep("\n"),
    "crlf": rep("\r\n"),
    "nl-ideo": rep("\n\u3000"),
    "nl-ws-mix": rep("\n \u3000\t\r"),
    "blank-lines-text": rep("工作\n\n"),
    # numbers
    "digits": rep("1"),
    "digit-wan-fen": rep("1万份"),
    "digit-wan": rep("1万"),
    "digit-yi": rep("1亿"),
    "digits-comma": rep("1,000"),
    "digits-dot": rep("1.5"),
    "digit-percent": rep("1%"),
    "digits-ren": rep("12人"),
    "yue-digits": rep("约1"),
    "cn-numerals": rep("一二三四五六七八九十"),
    "cn-ten": rep("十"),
    "cn-shi": rep("一是"),
    "di-cn": rep("第一"),
    "cn-dun": rep("一、"),
    "cn-paren": rep("（一）"),
    "di-part": rep("第一部分"),
    "years": rep("2021年"),
    "years-ws": rep("2021 年"),
    "year-plan-line": rep("2021年工作计划"),
    "year-digits": rep("2021"),
    # quotes and marks
    "open-quotes": rep("“"),
    "close-quotes": rep("”"),
    "quote-pairs": rep("“甲”"),
    "quote-open-han": rep("“开展"),
    "book-open": rep("《"),
    "book-open-han": rep("《关于"),
    "book-pairs": rep("《甲》"),
    "ascii-quotes": rep('"'),
    "corner-quotes": rep("「"),
    "bayu": rep("开展“八五”普"),
    "dun-list": rep("甲、"),
    "dun-list-community": rep("社区、"),
    "dun-only": rep("、"),
    "colons": rep("："),
    "label-like": rep("名 称"),
    # suffixes
    "shequ": rep("社区"),
    "jiedao": rep("街道"),
    "banshichu": rep("办事处"),
    "jiedao-banshichu": rep("街道办事处"),
    "juweihui": rep("社区居委会"),
    "qu": rep("区"),
    "shi": rep("市"),
    "sheng": rep("省"),
    "fayuan": rep("法院"),
    "ju": rep("局"),
    "suo": rep("所"),
    "weiyuanhui": rep("委员会"),
    "xiaozu": rep("领导小组"),
    "lu": rep("路"),
    "dadao": rep("大道"),
    "tongzhi": rep("同志"),
    "shuji": rep("书记"),
    "quanshi": rep("全市"),
    "quanshi-di": rep("全市第"),
    "de": rep("的"),
    "gongzuo": rep("工作"),
    "han-line": fuzz(list("我们开展工作推进法治建设服务群众基层治理社区街道区市")),
    "han-sentences": rep("我们开展工作。"),
    "ascii-letters": rep("ab"),
    "html-tags": rep("<p>"),
    "html-entities": rep("&amp;"),
    "bullets": rep("—"),
    "circled": rep("①"),
    "dash-digits": rep("1-"),
    # figures, rankings and claims
    "leading-words": lambda n: rep("其中")(n) + "1人",
    "qualifiers": lambda n: "工作" + rep("约")(n) + "1人",
    "spaces-figure": lambda n: "工作" + rep(" \u3000")(n) + "1人",
    "cumulative": rep("累计1人"),
    "digit-run-item": lambda n: rep("1")(n) + "项",
    "rank": rep("全市第1名"),
    "rank-among": rep("全市基层法院第2位"),
    "top": rep("全市前1"),
    "top-of": rep("11项1项全市前1"),
    "first": rep("全省首个"),
    "head-of": rep("居全区首位"),
    "dates": rep("2021年6月"),
    "date-dash": rep("2021-06-"),
    # header labels and values
    "label-ws": lambda n: "索引号：1" + rep("\u3000 ")(n),
    "label-ws-han": lambda n: "发布机构：甲" + rep(" 甲\u3000")(n),
    "labels": rep("名称：甲 "),
    "label-lines": rep("索引号：\n"),
    "role-spaces": lambda n: "大鹏新区司法局局长" + rep("\u3000")(n) + "刘志强",
    # web pages
    "html-unclosed-comment": lambda n: "<html><body>" + rep("<!--")(n),
    "html-lt": lambda n: "<html><body>" + rep("<")(n),
    "html-lt-slash": lambda n: "<html><body>" + rep("</")(n),
    "html-lt-bang": lambda n: "<html><body>" + rep("<!")(n),
    "html-amp": lambda n: "<html><body>" + rep("&")(n),
    "html-open-tag": lambda n: "<html><body>" + rep("<a ")(n),
    "html-paras": lambda n: "<html><body>" + rep("<p>工作</p>")(n),
    "html-divs": lambda n: "<html><body>" + rep("<div>工")(n),
    "html-script": lambda n: "<html><body>工作<script>" + rep("x")(n),
    "html-attr-quote": lambda n: '<html><body><p title="' + rep("x")(n),
    "html-comments-never-closed": lambda n: "<html><body>" + rep("<!--x>")(n) + "</body></html>",
    "html-sections-never-closed": lambda n: "<html><body>" + rep("<![CDATA[x>")(n) + "</body></html>",
    "fuzz-tokens": fuzz(
        ["\u3000", " ", "\n", "1", "万", "亿", "份", "一", "十", "是", "、", "“", "”", "《", "》", "社区", "街道", "办事处",
         "全市", "第", "名", "2021年", "工作", "计划", "：", "，", "。", "（", "）", "法院", "局", "大鹏", "同志", "的"]
    ),
}


class Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise Timeout


def run(text: str, timeout: float) -> float | None:
    """CPU seconds for one read + extraction, or None after ``timeout`` seconds."""
    data = text.encode("utf-8")
    signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    t = time.process_time()
    try:
        extract(read_report(data, name="x"))
    except Timeout:
        return None
    except ReportError:  # empty or binary: rejected by the reader, in linear time
        pass
    except Exception as e:  # a crash is reported, and timed like a run
        print(f"   crash: {type(e).__name__}: {str(e)[:120]}")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return time.process_time() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=8192, help="characters of the smaller input")
    ap.add_argument("--only", default="", help="comma-separated case names")
    ap.add_argument("--timeout", type=float, default=20.0, help="seconds per run")
    ap.add_argument("--ratio", type=float, default=3.0, help="flag cases whose 2N/N time ratio is above this")
    ap.add_argument("--prefix", default=",".join(PREFIXES), help="what to put each case after: " + ", ".join(PREFIXES))
    args = ap.parse_args()
    Gazetteer.default()  # loaded once, outside the timings
    names = [n for n in args.only.split(",") if n] or list(CASES)
    prefixes = [p for p in args.prefix.split(",") if p]
    flagged = []
    for case, pre in ((n, p) for n in names for p in prefixes):
        make = CASES[case]
        name = f"{case}/{pre}"
        times = []
        for n in (args.size, 2 * args.size):
            text = PREFIXES[pre] + make(n)
            best = None
            for _ in range(2):  # the faster of two runs
                t = run(text, args.timeout)
                if t is None:
                    best = None
                    break
                best = t if best is None else min(best, t)
            times.append(best)
            if best is None:
                break
        if any(t is None for t in times):
            shown = " ".join("timeout" if t is None else f"{t:8.3f}" for t in times)
            print(f"!! {name:28s} {shown}")
            flagged.append(name)
            continue
        a, b = times
        ratio = b / a if a > 0.002 else float("nan")
        bad = ratio > args.ratio
        print(f"{'!!' if bad else '  '} {name:28s} {a:8.3f} {b:8.3f}  x{ratio:.2f}")
        if bad:
            flagged.append(name)
    print("flagged:", ",".join(flagged) or "none")


if __name__ == "__main__":
    main()
