"""Who may write campaigns: chairs. A conflicted chair may still write one; what
they target and see leaves out their conflicted submissions (campaigns.audiences,
campaigns.queries)."""

import rules

from haet.rules import is_chair

rules.add_perm("campaigns.manage", is_chair)
