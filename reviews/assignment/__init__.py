"""Reviewer assignment: optimal min-cost max-flow, a fairness variant, CSV I/O.

Pure numpy/OR-Tools; no Django here, so it is testable and benchmarkable alone.
"""

from .solver import AssignmentResult, Instance, assign

__all__ = ["AssignmentResult", "Instance", "assign"]
