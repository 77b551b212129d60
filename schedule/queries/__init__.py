"""Reading the schedule, one module per concept: items (shared), public, editor."""
