"""公众参与 / 政民互动: the major-decision catalogue, consultations with published adoption
feedback, hearings and meeting attendance, open days, policy enquiries, public messages,
proposals handling, public-concern responses and complaints about public institutions.

Where things live:
- models/        the data, split by concern (decisions, consultations, events, interaction)
- visibility.py  the ONLY public gate (portal pages and the API read through it)
- access.py      which rows a staff user may see
- rules.py       permission predicates and the period rules (working days via core.calendar)
- actions/       every state change (permission → write → audit event)
- feedback.py    the generated 征求意见情况反馈; moderation.py the sensitive-word check
- dashboard.py   the office's deadlines, misses and the year's record; periodic.py its daily job
"""
