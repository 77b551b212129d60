"""Submission fields chairs define (issue 15): definitions and answers.

- `answers`: what a value of each kind is, how it reads as text, when a
  conditional field is asked;
- `identity`: the PDF's identity scan applied to reviewer-visible free text;
- `services`: the only code that writes fields and answers;
- `queries`: answers by submission for lists, pages and exports;
- `forms`: the chairs' field form and the authors' answers form;
- `placeholders`: the mail composer's `{{ field.<slug> }}`;
- `search`: the `field:<slug>=<value>` search term.
"""
