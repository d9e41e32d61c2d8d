"""Every change to equipment loans, one module per entity; the public names are re-exported here.

`from insyn.loans.services import loan_checkout` is how the admin, the API, the CLI, tasks and tests call them.
"""

from insyn.loans.exceptions import DeviceUnavailable, NotEligible
from insyn.loans.rules import RETURN_CHECKLIST
from insyn.loans.selectors import loan_return_checklist, person_eligibility
from insyn.loans.services.broadband import broadband_decide, broadband_request
from insyn.loans.services.devices_kits import device_create, kit_create
from insyn.loans.services.due_dates import loans_recompute_due_dates
from insyn.loans.services.incidents import incident_assess, incident_report
from insyn.loans.services.loans import (
    HANDOVER_KEYS,
    PASSWORD_WORDS,
    loan_checkout,
    loan_hand_in_accessories,
    loan_request_return,
    loan_return,
)
from insyn.loans.services.receipts import receipt_accept, receipt_acknowledge
from insyn.loans.services.reminders import REMINDER_STEPS, loans_send_reminders

__all__ = [
    "HANDOVER_KEYS",
    "PASSWORD_WORDS",
    "REMINDER_STEPS",
    "RETURN_CHECKLIST",
    "DeviceUnavailable",
    "NotEligible",
    "broadband_decide",
    "broadband_request",
    "device_create",
    "incident_assess",
    "incident_report",
    "kit_create",
    "loan_checkout",
    "loan_hand_in_accessories",
    "loan_request_return",
    "loan_return",
    "loan_return_checklist",
    "loans_recompute_due_dates",
    "loans_send_reminders",
    "person_eligibility",
    "receipt_accept",
    "receipt_acknowledge",
]
