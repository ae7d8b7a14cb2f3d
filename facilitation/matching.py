"""Groups of cities from a symmetric score matrix: a pairing, and clusters of 3 or 4.

`suggestion` gives every city one partner with the largest total score (an exact search over
subsets up to `EXACT_LIMIT` cities, beyond that greedy pairs improved by swaps); with an odd
number of cities one group is a trio, scored by its three links. `clusters` makes groups of 3 or 4
("clusterization") with the largest total score inside groups (greedy, then swaps). Ties go to
the earlier cities, so the same scores always give the same answer.
"""

import itertools
from functools import lru_cache

EXACT_LIMIT = 16
EPSILON = 1e-12


def _exact_pairs(matrix, members):
    """Best perfect matching of `members` (an even tuple of indices): (total, pairs)."""
    index = {city: bit for bit, city in enumerate(members)}

    @lru_cache(maxsize=None)
    def best(mask):
        if not mask:
            return 0.0, ()
        low = (mask & -mask).bit_length() - 1
        rest = mask & ~(1 << low)
        top, chosen = None, ()
        other = rest
        while other:
            bit = (other & -other).bit_length() - 1
            other &= other - 1
            value, pairs = best(rest & ~(1 << bit))
            value += matrix[members[low]][members[bit]]
            if top is None or value > top + EPSILON:
                top, chosen = value, ((members[low], members[bit]),) + pairs
        return top, chosen

    return best, index


def _greedy_pairs(matrix, members):
    """Pairs by highest score first, then improved by swapping partners between two pairs."""
    left = list(members)
    edges = sorted(itertools.combinations(left, 2), key=lambda e: (-matrix[e[0]][e[1]], e))
    taken, pairs = set(), []
    for a, b in edges:
        if a not in taken and b not in taken:
            taken.update((a, b))
            pairs.append((a, b))
    improved = True
    while improved:
        improved = False
        for i, j in itertools.combinations(range(len(pairs)), 2):
            (a, b), (c, d) = pairs[i], pairs[j]
            now = matrix[a][b] + matrix[c][d]
            for first, second in (((a, c), (b, d)), ((a, d), (b, c))):
                if matrix[first[0]][first[1]] + matrix[second[0]][second[1]] > now + EPSILON:
                    pairs[i], pairs[j] = first, second
                    improved = True
                    break
    return sum(matrix[a][b] for a, b in pairs), tuple(pairs)


def _total(matrix, group):
    return sum(matrix[a][b] for a, b in itertools.combinations(group, 2))


def suggestion(matrix):
    """Groups of indices: pairs, and one trio when the count is odd; strongest group first."""
    n = len(matrix)
    if n < 2:
        return [list(range(n))] if n else []
    members = tuple(range(n))
    if n <= EXACT_LIMIT:
        best, bits = _exact_pairs(matrix, members)
        full = (1 << n) - 1
        if n % 2 == 0:
            groups = [list(pair) for pair in best(full)[1]]
        else:
            top, groups = None, None
            for trio in itertools.combinations(members, 3):
                value, pairs = best(full & ~sum(1 << bits[c] for c in trio))
                value += _total(matrix, trio)
                if top is None or value > top + EPSILON:
                    top, groups = value, [list(trio)] + [list(p) for p in pairs]
    else:
        if n % 2 == 0:
            groups = [list(pair) for pair in _greedy_pairs(matrix, members)[1]]
        else:
            # The odd city out joins the pair it links to best.
            top, groups = None, None
            for odd in members:
                rest = tuple(c for c in members if c != odd)
                value, pairs = _greedy_pairs(matrix, rest)
                host = max(range(len(pairs)),
                           key=lambda i: (matrix[odd][pairs[i][0]] + matrix[odd][pairs[i][1]], -i))
                value += matrix[odd][pairs[host][0]] + matrix[odd][pairs[host][1]]
                if top is None or value > top + EPSILON:
                    chosen = [list(p) for p in pairs]
                    chosen[host] = chosen[host] + [odd]
                    top, groups = value, chosen
    return sorted(groups, key=lambda g: (-_total(matrix, g) / max(1, len(g) - 1), g))


def cluster_sizes(n):
    """Sizes of 3 or 4 adding up to n (n = 5: 3 and 2; fewer than 5: one group)."""
    if n <= 4:
        return [n] if n else []
    count = -(-n // 4)
    base, extra = divmod(n, count)
    return [base + 1] * extra + [base] * (count - extra)


def clusters(matrix):
    """Groups of 3 or 4 cities (indices) with strong links inside each group."""
    n = len(matrix)
    sizes = cluster_sizes(n)
    free = list(range(n))
    groups = []
    for size in sizes:
        if len(free) <= size:
            groups.append(free)
            free = []
            break
        seed = max(itertools.combinations(free, 2), key=lambda e: (matrix[e[0]][e[1]], -e[0], -e[1]))
        group = list(seed)
        while len(group) < size:
            best = max((c for c in free if c not in group),
                       key=lambda c: (sum(matrix[c][m] for m in group), -c))
            group.append(best)
        groups.append(group)
        free = [c for c in free if c not in group]
    improved, rounds = True, 0
    while improved and rounds < 500:
        improved, rounds = False, rounds + 1
        for g, h in itertools.combinations(range(len(groups)), 2):
            for x, y in itertools.product(range(len(groups[g])), range(len(groups[h]))):
                a, b = groups[g][x], groups[h][y]
                rest_g = [c for c in groups[g] if c != a]
                rest_h = [c for c in groups[h] if c != b]
                delta = (sum(matrix[b][c] for c in rest_g) + sum(matrix[a][c] for c in rest_h)
                         - sum(matrix[a][c] for c in rest_g) - sum(matrix[b][c] for c in rest_h))
                if delta > EPSILON:
                    groups[g][x], groups[h][y] = b, a
                    improved = True
    groups = [sorted(group) for group in groups]
    return sorted(groups, key=lambda g: (-_total(matrix, g), g))
