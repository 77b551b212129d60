"""Submission pages, one module per page family: authors, downloads, chairs."""
