"""The accessibility statement's facts: what was checked, when, and whom to contact.

The page (templates/accessibility.html) follows the model accessibility statement of Commission
Implementing Decision (EU) 2018/1523. The operator of a server fills in who runs it and how to
report a problem through settings (README: FACILITATION_ACCESSIBILITY_*).
"""

import datetime
import re

# When the statement was prepared, and when the checks behind it last ran in full.
PREPARED = datetime.date(2026, 12, 2)
REVIEWED = datetime.date(2026, 12, 2)
STANDARD = "WCAG 2.2 level AA"
# The European Commission's list of each country's enforcement body (Directive (EU) 2016/2102).
ENFORCEMENT_LIST = "https://digital-strategy.ec.europa.eu/en/policies/web-accessibility"

EMAIL = re.compile(r"^(mailto:)?[^@\s/]+@[^@\s/]+\.[^@\s/]+$")
WEB = re.compile(r"^https?://\S+$")


def contact_link(value):
    """An operator's setting as {"text", "href"}: an e-mail address becomes a mailto: link, a web
    address a link, anything else (a phone number, an office) plain text. None when unset."""
    value = (value or "").strip()
    if not value:
        return None
    if EMAIL.match(value):
        address = value.removeprefix("mailto:")
        return {"text": address, "href": f"mailto:{address}"}
    if WEB.match(value):
        return {"text": value, "href": value}
    return {"text": value, "href": None}


def statement(config):
    """What the statement page shows, from the app's config."""
    return {
        "operator": (config.get("FACILITATION_ACCESSIBILITY_OPERATOR") or "").strip() or None,
        "contact": contact_link(config.get("FACILITATION_ACCESSIBILITY_CONTACT")),
        "enforcement": contact_link(config.get("FACILITATION_ACCESSIBILITY_ENFORCEMENT")),
        "enforcement_list": ENFORCEMENT_LIST,
        "prepared": PREPARED,
        "reviewed": REVIEWED,
        "standard": STANDARD,
    }
