"""How the appeal checklist judges the appeal corpus: agreement per check and the verdict table.

    python tests/bench/bench_appeal_corpus.py [--misses] [--split dev|fresh|fresh2|fresh3|fresh4]

The corpus (tests/data/appeals/, appeals written for this project, each on a notice of the notice corpus,
labelled in labels.toml with the verdict and each check's status) is checked as the appeal editor checks a
draft a second operator has reviewed. Printed: per check, how many appeals get the labelled status; the
verdict table (kind x let go / blocked); and the heading test: every good appeal with its part headings
reworded (other phrasings, other heading forms), counting the checks whose status changes.

Targets: no template, vague, blaming or pleading appeal let go; at least 90% of the good ones let go; no
check changes status because a heading is worded differently. "dev" appeals were written before the
reading was tuned, "fresh" ones after, and never tuned on: they are the fairer figure.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests import appeal_corpus as corpus  # noqa: E402
from tests import heading_variants  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--misses", action="store_true", help="list every disagreement")
    ap.add_argument("--split", choices=("dev", "fresh", "fresh2", "fresh3", "fresh4"), help="only this part of the corpus")
    args = ap.parse_args()
    items = [a for a in corpus.labels() if args.split is None or a.split == args.split]
    agree, misses = Counter(), []
    table: Counter = Counter()
    for item in items:
        got, let_go = corpus.statuses(item)
        for check in corpus.LABELLED:
            if got[check] == corpus.expected(item, check):
                agree[check] += 1
            else:
                misses.append(f"{item.file}: {check} {got[check]} (labelled {corpus.expected(item, check)})")
        table[(item.kind, "let go" if let_go else "blocked")] += 1
        if let_go != (item.verdict == "let_go"):
            misses.append(f"{item.file}: verdict {'let go' if let_go else 'blocked'} (labelled {item.verdict})")
    n = len(items)
    splits = Counter(a.split for a in items)
    print(f"appeal corpus: {n} appeals ({', '.join(f'{k} {v}' for k, v in sorted(splits.items()))}), "
          f"{corpus.APPEALS.relative_to(ROOT)}")
    print("\nagreement per check (labelled status)")
    for check in corpus.LABELLED:
        print(f"  {check:<17} {agree[check]:>3}/{n}  {agree[check] / n:6.1%}")
    print("\nverdict by kind")
    print(f"  {'':<16}{'let go':>8}{'blocked':>9}")
    kinds = sorted({a.kind for a in items}, key=lambda k: (k != "good", k))
    for kind in kinds:
        print(f"  {kind:<16}{table[(kind, 'let go')]:>8}{table[(kind, 'blocked')]:>9}")
    good = sum(table[("good", v)] for v in ("let go", "blocked"))
    good_go = table[("good", "let go")]
    bad_go = sum(table[(k, "let go")] for k in corpus.BAD_KINDS)
    changed, tried = heading_variants.changes([a for a in items if a.kind == "good"])
    print("\ntargets")
    print(f"  template/vague/blaming/pleading let go: {bad_go} (target 0) {'PASS' if bad_go == 0 else 'MISS'}")
    share = good_go / good if good else 0.0
    print(f"  good let go: {good_go}/{good} = {share:.0%} (target >= 90%) {'PASS' if share >= 0.9 else 'MISS'}")
    print(f"  heading rewordings: {tried} variants of {sum(1 for a in items if a.kind == 'good' and a.headings)} "
          f"good appeals, {len(changed)} check statuses changed (target 0) {'PASS' if not changed else 'MISS'}")
    if args.misses:
        print("\nmisses:")
        print("\n".join(f"  {m}" for m in misses + changed))


if __name__ == "__main__":
    main()
