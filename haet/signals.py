from django.dispatch import Signal

# Sent by `seed_haet2022` after the conference and demo accounts exist, so each app can
# add what exists at the requested stage without haet importing the apps. Receivers run
# in INSTALLED_APPS order (submissions, then reviews, then awards), which is the order
# the data depends on. Arguments: conference, stage, submissions, reviewers, reviews,
# rng, accounts (dict role -> User), stdout.
seed_demo = Signal()
