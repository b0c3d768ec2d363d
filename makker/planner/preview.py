"""A quick rotation in two stages, for an instant preview (design.md §3).

Stage 1 matches students into pairs (maximum-weight matching), stage 2 matches
pairs into groups. It takes a few hundredths of a second but is typically
6–9 % worse than the exact plan, so it is only a preview and the fallback when
the exact solve found nothing in time (:mod:`makker.planner.quick`). Hard
rules hold: never-together edges are simply absent; keep-together students can
only be matched to each other.
"""

from __future__ import annotations

import hashlib

import networkx as nx

from ..plan import Rotation
from .costs import TRIO_TURN, CostModel

BIG = 10**9
JITTER = 97


def to_rotation(model: CostModel, pairings, number: int) -> Rotation:
    """Groups and pairs in class-list order, so the same plan always prints the same."""
    groups = []
    for pairing in pairings:
        pairs = sorted(tuple(sorted(p)) for p in pairing)
        groups.append(tuple(tuple(model.ids[a] for a in p) for p in pairs))
    groups.sort(key=lambda g: min(model.index[s] for p in g for s in p))
    return Rotation(number, tuple(groups))


def _jitter(seed: int, *parts) -> int:
    key = f"{seed}|" + "|".join(map(str, parts))
    return int(hashlib.sha256(key.encode()).hexdigest()[:6], 16) % JITTER


def _match(graph: nx.Graph) -> dict | None:
    """Perfect maximum-weight matching as {node: mate}, or None."""
    mates = nx.max_weight_matching(graph, maxcardinality=True)
    out = {}
    for a, b in mates:
        out[a], out[b] = b, a
    return out if len(out) == graph.number_of_nodes() else None


def _keep_trio(model: CostModel) -> tuple[int, ...] | None:
    """Three students chained by keep-together rules: they must be the trio."""
    for a, partners in sorted(model.keep_partner.items()):
        if len(partners) >= 2:
            return tuple(sorted({a} | partners))
    return None


def _pair_stage(model: CostModel, seed: int) -> list[tuple[int, ...]] | None:
    n = model.n
    trio = _keep_trio(model) if n % 2 else None
    if trio is not None and (len(trio) != 3 or not model.hard_ok_idx(trio)):
        return None
    rest = [a for a in range(n) if trio is None or a not in trio]
    g = nx.Graph()
    g.add_nodes_from(rest)
    for i, a in enumerate(rest):
        for b in rest[i + 1:]:
            if model.never[a][b]:
                continue
            keep_a, keep_b = model.keep_partner.get(a), model.keep_partner.get(b)
            if (keep_a and b not in keep_a) or (keep_b and a not in keep_b):
                continue
            cost = model.G[a][b] + model._pair_soft((a, b))
            g.add_edge(a, b, weight=BIG - cost * 100 - _jitter(seed, a, b))
    if n % 2 and trio is None:
        g.add_node("trio")
        for a in range(n):
            if not model.keep_partner.get(a):
                g.add_edge(a, "trio", weight=BIG - TRIO_TURN * model.trio_turns[a] * 100 - _jitter(seed, a))
    mates = _match(g)
    if mates is None:
        return None
    pairs = sorted({tuple(sorted((a, b))) for a, b in mates.items() if "trio" not in (a, b)})
    if trio is not None:
        return sorted(pairs + [trio])
    if n % 2:
        extra = mates["trio"]
        options = [p for p in pairs if model.hard_ok_idx(p + (extra,))]
        if not options:
            return None
        best = min(options, key=lambda p: model._pair_soft(tuple(sorted(p + (extra,)))))
        pairs[pairs.index(best)] = tuple(sorted(best + (extra,)))
    return pairs


def _group_cost(model: CostModel, pairing) -> int | None:
    members = sorted(a for p in pairing for a in p)
    if not model.hard_ok_idx(members):
        return None
    return sum(model._pair_soft(p) for p in pairing) + model._set_cost(members)


def _group_stage(model: CostModel, pairs, seed: int) -> list[tuple] | None:
    g = nx.Graph()
    g.add_nodes_from(range(len(pairs)))
    for i in range(len(pairs)):
        for j in range(i + 1, len(pairs)):
            cost = _group_cost(model, (pairs[i], pairs[j]))
            if cost is not None:
                g.add_edge(i, j, weight=BIG - cost * 100 - _jitter(seed, pairs[i], pairs[j]))
    if len(pairs) % 2:
        g.add_node("big")
        for i, p in enumerate(pairs):
            if len(p) == 2 or len(pairs) == 3:  # keep the trio out of the big group when possible
                g.add_edge(i, "big", weight=BIG - _jitter(seed, p))
    mates = _match(g)
    if mates is None:
        return None
    groups = sorted({tuple(sorted((a, b))) for a, b in mates.items() if "big" not in (a, b)})
    pairings = [tuple(pairs[i] for i in grp) for grp in groups]
    if len(pairs) % 2:
        extra = pairs[mates["big"]]
        scored = []
        for k, pg in enumerate(pairings):
            if len(pairs) > 3 and any(len(p) == 3 for p in pg):
                continue
            cost = _group_cost(model, pg + (extra,))
            if cost is not None:
                scored.append((cost, k))
        if not scored:
            return None
        _, k = min(scored)
        pairings[k] = pairings[k] + (extra,)
    return pairings


def preview_from_model(model: CostModel, number: int = 1, seed: int = 0) -> Rotation | None:
    """The two-stage rotation, or None when the matchings cannot respect the hard rules."""
    if model.n < 4:
        return None
    if model.n <= 7:
        col = model.column(tuple(range(model.n)))
        return None if col is None else to_rotation(model, [col[1]], number)
    pairs = _pair_stage(model, seed)
    if pairs is None:
        return None
    pairings = _group_stage(model, pairs, seed)
    return None if pairings is None else to_rotation(model, pairings, number)
