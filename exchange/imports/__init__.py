"""Submissions and reviewer lists from other systems: CMT, EasyChair, HotCRP and
OpenReview exports.

Each format has a module that only *reads* (`parse(files) -> Parsed`: records and
the problems of the file itself). `planning.plan` compares the records with the
deployment without writing (the dry run: created, updated, unchanged or skipped,
and why); `applying.apply_plan` writes what the plan says, idempotently (the key is
source + source id, `ImportedSubmission`). Reviewer lists: `reviewers`.
"""
