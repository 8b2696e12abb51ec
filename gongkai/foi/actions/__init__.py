"""Every state change of a request: check permission and state → write in a transaction →
append a RequestEvent → core.audit.record → recompute the clock → notify.

Views, the API, the importer, the demo and the periodic jobs all call these functions; none
saves a workflow object directly. Refusals raise ActionError with a Chinese message.

    base      refusals, the clock cache, events, audit, numbering, letters, notifications
    intake    online submission, staff registration by channel, receipt, routing
    handling  correction, consultations, fees, extension
    replies   承办 → 审核 → 签发, delivery, archiving, withdrawal, reviews and litigation
"""

from .base import (
    REQUESTER_ACTOR,
    TRACKING_ALPHABET,
    ActionError,
    _new_tracking_code,
    clock_events,
    clock_for,
    fee_pauses_clock,
    receipt_rule,
    recompute_open,
    refresh_clock,
    today,
)
from .cases import add_case
from .delivery import recompute_fees, record_delivery
from .handling import (
    ask_reasons,
    count_this_month,
    decide_reasons,
    disclose_in_public_interest,
    end_consultation,
    end_third_party,
    extend,
    fee_lapsed,
    fee_notice,
    fee_paid,
    lapse_correction,
    propose_extension,
    receive_correction,
    request_correction,
    start_consultation,
    start_third_party,
)
from .intake import (
    RequestData,
    RequesterData,
    add_note,
    assign,
    confirm_receipt,
    register,
    submit_online,
    transfer,
)
from .ledger import import_ledger, mark_reminder_seen
from .proactive import convert_to_proactive, find_records
from .replies import (
    DETAIL_FIELDS as REPLY_DETAIL_FIELDS,
)
from .replies import (
    add_review_case,
    archive,
    attach_file,
    decide_review_case,
    default_body,
    deliver,
    draft_reply,
    review_reply,
    sign_reply,
    submit_reply,
    withdraw,
)
from .templates import current_text, default_text, save_letter_template

__all__ = [
    "REPLY_DETAIL_FIELDS",
    "REQUESTER_ACTOR",
    "TRACKING_ALPHABET",
    "ActionError",
    "RequestData",
    "RequesterData",
    "_new_tracking_code",
    "add_case",
    "add_note",
    "add_review_case",
    "archive",
    "ask_reasons",
    "assign",
    "attach_file",
    "clock_events",
    "clock_for",
    "confirm_receipt",
    "convert_to_proactive",
    "count_this_month",
    "current_text",
    "decide_reasons",
    "decide_review_case",
    "default_body",
    "default_text",
    "deliver",
    "disclose_in_public_interest",
    "draft_reply",
    "end_consultation",
    "end_third_party",
    "extend",
    "fee_lapsed",
    "fee_notice",
    "fee_paid",
    "fee_pauses_clock",
    "find_records",
    "import_ledger",
    "lapse_correction",
    "mark_reminder_seen",
    "propose_extension",
    "receipt_rule",
    "receive_correction",
    "recompute_fees",
    "recompute_open",
    "record_delivery",
    "refresh_clock",
    "register",
    "request_correction",
    "review_reply",
    "save_letter_template",
    "sign_reply",
    "start_consultation",
    "start_third_party",
    "submit_online",
    "submit_reply",
    "today",
    "transfer",
    "withdraw",
]
