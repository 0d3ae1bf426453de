"""Find and correct any registration (issue 14 item 2): the registrations overview with its filters.

A coordinator filters the whole organisation's registrations (period, location, staff member, codes, channel,
back-dated ones); a staff member sees only their own, so they can find a back-dated registration again (review B10).
Corrections go through desk.services.question_update: the edit rules, the journal and the correction history.
"""
