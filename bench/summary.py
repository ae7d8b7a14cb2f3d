"""The rows of the README's benchmark table (issue 14), from one run of bench/load.py.

Each row: what is measured (with its goal), the figure before issue 14 (quiet machine,
2026-11-22, and the issue's own table), and this run's figure with PASS or FAIL where there is
a goal. Ours first, the bare relay of the same run in brackets.
"""

import os

from bench.clients import percentile

BEFORE = {
    "a": "886 vs 2,095: **0.42**",
    "a_cpu": "1.05 / 0.48",
    50: "14 / 19 / 60 (9 / 15 / 100)",
    200: "17 / 29 / 285 (21 / 28 / 47)",
    500: "42 / 64 / **12,121** (32 / 49 / 66)",
    "join_cpu": "-",
    "e": "- (a note waited 12 s after the joins)",
    "f": "- (no `since`: 500 whole boards)",
    "g": "-",
}


def memory_gb():
    try:
        with open("/proc/meminfo") as meminfo:
            return int(meminfo.readline().split()[1]) / 1024 / 1024
    except (OSError, ValueError, IndexError):
        return None


def machine():
    gb = memory_gb()
    return f"{os.cpu_count()} cores" + (f", {gb:.0f} GB" if gb else "")


def verdict(ok):
    return "PASS" if ok else "FAIL"


def num(value):
    if value is None:
        return "-"
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def a_rows(ours, relay):
    if not ours or not ours.get("sat") or not relay or not relay.get("sat"):
        return []
    o, r = ours["sat"], relay["sat"]
    ratio = o.throughput / r.throughput if r.throughput else 0
    return [
        ("a: saturation acked ops/s, ours vs relay: ratio (goal >= 0.70)", BEFORE["a"],
         f"{o.throughput:,.0f} vs {r.throughput:,.0f}: **{ratio:.2f}** {verdict(ratio >= 0.70)}"),
        ("a: server CPU ms per op at saturation, ours / relay", BEFORE["a_cpu"],
         f"{o.cpu_ms_per_op:.2f} / {r.cpu_ms_per_op:.2f}"),
    ]


def fanout_rows(fan):
    ours, relay = fan.get("ours", {}), fan.get("relay", {})
    rows = []
    for size in sorted(ours):
        o, r = ours[size], relay.get(size)
        cell = f"{num(o['median'])} / {num(o['slowest_median'])} / {num(o['worst'])}"
        if r:
            cell += f" ({num(r['median'])} / {num(r['slowest_median'])} / {num(r['worst'])})"
            if o["slowest_median"] and r["slowest_median"]:
                ratio = o["slowest_median"] / r["slowest_median"]
                cell += f": {ratio:.2f}x"
                if size == 500:
                    cell += f" {verdict(ratio <= 1.0)}"
        if o["missing"]:
            cell += f", {o['missing']} deliveries never came"
        label = (f"fan-out {size}: median / slowest-client median / worst ms, ours (relay)"
                 + (" (goal at 500: slowest median <= 1.0x the relay)" if size == 500 else ""))
        rows.append((label, BEFORE.get(size, "-"), cell))
    if ours:
        sizes = sorted(ours)
        before = " / ".join(str(ours[s]["board_before_last"]) for s in sizes)
        cell = " / ".join(f"{ours[s]['last_join_cpu_ms']:.2f}" for s in sizes)
        if all(relay.get(s) for s in sizes):
            cell += " (" + " / ".join(f"{relay[s]['last_join_cpu_ms']:.2f}" for s in sizes) + ")"
        rows.append((f"server CPU ms per join onto a board of {before} people (the last 50 "
                     "joins of each fan-out size), ours (relay) (goal: flat)",
                     BEFORE["join_cpu"], cell))
    return rows


def e_rows(e, clients):
    ours, relay = e.get("ours"), e.get("relay")
    if not ours:
        return []

    def cell(f):
        slowest = f["slowest"]
        return (f"{num(percentile(slowest, 50))} / {num(percentile(slowest, 99))} / "
                f"{num(max(slowest, default=None))}")

    p99, worst = percentile(ours["slowest"], 99), max(ours["slowest"], default=None)
    ok = p99 is not None and p99 < 100 and worst < 1000 and not ours["missing"]
    text = f"joins {ours['storm_s']:.1f} s"
    if relay:
        text += f" (relay {relay['storm_s']:.1f} s)"
    text += f"; {cell(ours)}" + (f" ({cell(relay)})" if relay else "") + f" {verdict(ok)}"
    return [(f"e: {clients} join at once; then a note's time to reach all, p50 / p99 / max ms "
             "(relay) (goal: p99 < 100 ms, none over 1 s)", BEFORE["e"], text)]


def g_rows(e, clients):
    ours, relay = e.get("ours"), e.get("relay")
    if not ours:
        return []

    def cell(f):
        per = (f["peak_mb"] - f["before_mb"]) * 1024 / clients
        return f"{f['peak_mb']:.0f} MB, {per:.0f} KB"

    text = cell(ours) + (f" ({cell(relay)})" if relay else "")
    return [(f"g: peak RSS with {clients} connected, KB per connection (relay) "
             "(goal: < 300 MB)", BEFORE["g"], f"{text} {verdict(ours['peak_mb'] < 300)}")]


def f_rows(f):
    ours, relay = f.get("ours"), f.get("relay")
    if not ours:
        return []
    ok = ours["all_back_s"] < 5 and ours["wrong"] == 0 and ours["acked_lost"] == 0
    text = f"{ours['all_back_s']:.1f} s"
    if relay:
        text += f" ({relay['all_back_s']:.1f} s)"
    text += (f": listening again after {ours['server_up_s']:.1f} s; {ours['kinds']['ops']} "
             f"answered with ops, {ours['kinds']['board']} with boards; {ours['wrong']} boards "
             f"differ, {ours['acked_lost']} of {ours['acked']} acked notes lost {verdict(ok)}")
    return [(f"f: SIGKILL + restart under {ours['clients']} clients: all back (relay) "
             "(goal: < 5 s, nothing lost)", BEFORE["f"], text)]


def readme_rows(results, clients, stamp):
    """The table's rows for what this run measured (a needs the relay too), or None."""
    storms = results.get("storms") or {"fanout": {}, "e": {}, "f": {}}
    rows = a_rows(results.get("a"), results.get("a_relay")) + fanout_rows(storms["fanout"])
    chosen = results.get("chosen", ())
    if "e" in chosen:
        rows += e_rows(storms["e"], clients)
    rows += f_rows(storms["f"])
    if "g" in chosen:
        rows += g_rows(storms["e"], clients)
    if not rows:
        return None
    lines = [f"Rows for the README's benchmark table ({machine()}, {stamp}):", "",
             f"| {machine()} | before (quiet, 2026-11-22 and issue 14's table) | after ({stamp}) |",
             "| --- | --- | --- |"]
    lines += [f"| {label} | {before} | {after} |" for label, before, after in rows]
    return "\n".join(lines)
