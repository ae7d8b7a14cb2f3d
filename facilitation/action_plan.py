"""A city's action plan: its action notes as URBACT's Action Table, in csv, json and xlsx.

Built from export data (JSON format 1), so the plan of now and the plan of a saved moment come
from the same code. An action is a note for the city (its author's city, or tagged for it) that
has `details` or sits in an `action-table` room.
"""

import csv
import io

from . import details as action
from .exports import is_for_city, spreadsheet_safe
from .history import match
from .i18n import N_, gettext

# The columns: JSON keys (never translated) and the headings people read (translated when a
# spreadsheet is made, in the request's language: `headings()`).
COLUMNS = [
    ("action", N_("Action")), ("lead", action.LABELS["lead"]),
    ("partners", action.LABELS["partners"]), ("outputs", action.LABELS["outputs"]),
    ("start", action.LABELS["start"]), ("end", action.LABELS["end"]),
    ("resources", action.LABELS["resources"]), ("status", action.LABELS["status"]),
    ("room", N_("Room")), ("votes", N_("Votes")), ("author", N_("Author")),
]
# Column widths in the spreadsheet, in characters.
WIDTHS = {"action": 48, "lead": 22, "partners": 28, "outputs": 30, "start": 9, "end": 9,
          "resources": 24, "status": 13, "room": 22, "votes": 7, "author": 20}


def status_of(note, group):
    """Where an action stands: its own status, else its group's (action table), else idea."""
    return ((note.get("details") or {}).get("status") or group.get("status") or "idea")


def rows(data, city):
    """The city's actions in export data, ordered by status (in progress first), then start."""
    found = []
    for room in data["rooms"]:
        table = room.get("template") == "action-table"
        for group in room["groups"]:
            for note in group["notes"]:
                if not is_for_city(note, city) or not (table or note.get("details")):
                    continue
                details = note.get("details") or {}
                author = note["author"] + (f" ({note['city']})" if note["city"] else "")
                found.append({
                    "action": note["text"],
                    **{key: details.get(key, "") for key in action.FIELDS},
                    "status": status_of(note, group),
                    "room": room["name"], "theme": room["theme"], "group": group["name"],
                    "votes": note["votes"], "author": author,
                    "lineage": note.get("lineage"),
                    "updated_at": note.get("updated_at"),
                })
    order = {status: index for index, status in enumerate(action.STATUS_ORDER)}
    # Stable sort: within a status and start month, the board's order stays.
    found.sort(key=lambda row: (order[row["status"]], row["start"] == "", row["start"]))
    return found


def counts(plan):
    """How many actions per status, in the plan's order of statuses (only those present)."""
    totals = {status: 0 for status in action.STATUS_ORDER}
    for row in plan:
        totals[row["status"]] += 1
    return {status: count for status, count in totals.items() if count}


def plan_json(data, city, plan, since=None):
    """The plan as JSON data."""
    result = {
        "city": city,
        "workshop": data["workshop"]["title"],
        "exported_at": data["exported_at"],
        "columns": [key for key, _ in COLUMNS],
        "actions": [action_json(row) for row in plan],
    }
    if since is not None:
        result["since"] = since
    return result


def action_json(row):
    """One action for JSON: its columns (null where a detail is not set), group and theme."""
    item = {key: (row[key] or None) if key in action.FIELDS else row[key] for key, _ in COLUMNS}
    return {**item, "group": row["group"], "theme": row["theme"]}


def headings():
    """What a spreadsheet shows in the current language: the column headings, and each status's
    word (the Status column and its drop-down). Taken in the request: `to_xlsx` may run in a
    thread of its own, which has no language."""
    statuses = {status: action.status_word(status) for status in action.STATUSES}
    return {"columns": [gettext(label) for _, label in COLUMNS], "statuses": statuses,
            "pick": gettext("Pick one of: %(choices)s",
                            choices=", ".join(statuses[status] for status in action.STATUSES))}


def cells(row, statuses):
    return [statuses[row[key]] if key == "status" else row[key] for key, _ in COLUMNS]


def to_csv(plan, words=None):
    """The plan as CSV text (the caller adds the BOM); formulas neutralised like every CSV.
    Headings and statuses in the language of `words` (`headings()`, the current one by default)."""
    words = words or headings()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(words["columns"])
    for row in plan:
        writer.writerow([spreadsheet_safe(cell) for cell in cells(row, words["statuses"])])
    return out.getvalue()


def to_xlsx(plan, title, words):
    """The plan as an .xlsx workbook: one sheet, header frozen, sized and wrapped columns, and a
    drop-down of the five statuses on Status. Headings and status words are `words`
    (`headings()`, taken in the request). Pure work (no database): may be offloaded."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title(title)
    sheet.append(words["columns"])
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="E8EEF7")
    wrap = Alignment(wrap_text=True, vertical="top")
    for cell in sheet[1]:
        cell.font, cell.fill, cell.alignment = bold, fill, wrap
    for row in plan:
        sheet.append(cells(row, words["statuses"]))
        for cell in sheet[sheet.max_row]:
            cell.alignment = wrap
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text stays text: "=1+1" is never a formula here
    for index, (key, _) in enumerate(COLUMNS, 1):
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS[key]
    sheet.freeze_panes = "A2"
    status_index = [key for key, _ in COLUMNS].index("status")
    status = get_column_letter(status_index + 1)
    # A list formula is separated by commas: a status word never holds one (test_action_plan).
    choices_words = [words["statuses"][key] for key in action.STATUSES]
    choices = DataValidation(type="list", formula1='"' + ",".join(choices_words) + '"',
                             allow_blank=True, showErrorMessage=True,
                             errorTitle=words["columns"][status_index],
                             error=words["pick"])
    # Room for the plan to grow: rows added in the spreadsheet get the drop-down too.
    choices.add(f"{status}2:{status}{max(len(plan) + 1, 500)}")
    sheet.add_data_validation(choices)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{len(plan) + 1}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def sheet_title(text):
    """A worksheet name: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join("_" if c in "[]:*?/\\" else c for c in str(text)).strip("' ")
    return cleaned[:31] or "Action plan"


def readable(row):
    """An action as one line for "since then" lists: text and where it stands."""
    return {"action": row["action"], "status": row["status"], "start": row["start"],
            "end": row["end"], "room": row["room"], "lead": row["lead"]}


def updated(plan):
    """The latest edit among the plan's actions (ISO time), or ""."""
    times = [row["updated_at"] for row in plan if row.get("updated_at")]
    return max(times) if times else ""


def since(old_plan, new_plan, label):
    """What changed between the plan at a moment and now: new and dropped actions, status
    and date changes. Actions are matched by lineage, then by text (history.match)."""
    wrap = lambda plan: [{"text": row["action"], "lineage": row["lineage"], "row": row}
                         for row in plan]
    pairs, removed, added = match(wrap(old_plan), wrap(new_plan))
    result = {"from": label, "new": [readable(n["row"]) for n in added],
              "dropped": [readable(o["row"]) for o in removed],
              "status_changes": [], "date_changes": []}
    for old, new in pairs:
        before, now = old["row"], new["row"]
        if before["status"] != now["status"]:
            result["status_changes"].append(
                {"action": now["action"], "from": before["status"], "to": now["status"]})
            if now["status"] == "dropped":
                result["dropped"].append(readable(now))
        if (before["start"], before["end"]) != (now["start"], now["end"]):
            result["date_changes"].append({
                "action": now["action"],
                "from": {"start": before["start"] or None, "end": before["end"] or None},
                "to": {"start": now["start"] or None, "end": now["end"] or None}})
    return result
