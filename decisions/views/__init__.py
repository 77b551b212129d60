"""The decisions pages, one module per page family: `dashboard` (the acceptance
table, bulk decisions, its CSV), `submission` (one submission for chairs, the
outcome for authors), `release` (preview and send), `scheduling` (a release at a
later time) and `mail_templates`.

Chair pages never show a submission the viewing chair is conflicted with (404 on
its own pages). Author pages show the decision and reviews only once released.
"""
