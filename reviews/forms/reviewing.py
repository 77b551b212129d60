"""Forms of the reviewing side: the review (built from the questions chairs edit),
a discussion post, and the chairs' review-form editor."""

from django import forms
from django.core.exceptions import ValidationError

from haet.widgets import Textarea
from reviews.models import ReviewQuestion
from reviews.reviewing import QuestionData

Kind = ReviewQuestion.Kind


def field_name(question: ReviewQuestion) -> str:
    return f"q_{question.key}"


class ReviewAnswersForm(forms.Form):
    """One field per active question. Nothing is required here: a draft may be
    partial, and `save_review` decides what submitting needs."""

    use_required_attribute = False

    def __init__(self, *args, questions, awards, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[field_name(question)] = self._field(question, awards)

    @staticmethod
    def _field(question: ReviewQuestion, awards) -> forms.Field:
        label = question.label
        if question.visibility == ReviewQuestion.Visibility.CHAIRS:
            label += " (chairs only)"
        elif question.visibility == ReviewQuestion.Visibility.REVIEWERS:
            label += " (not shown to the authors)"
        common = {
            "label": label,
            "help_text": question.help_text,
            "required": False,
        }
        if question.kind == Kind.NOMINATIONS:
            return forms.MultipleChoiceField(
                choices=[(str(a.pk), a.name) for a in awards],
                widget=forms.CheckboxSelectMultiple,
                **common,
            )
        if question.kind in (Kind.SCORE, Kind.CONFIDENCE, Kind.CHOICE):
            return forms.ChoiceField(
                choices=[(str(v), label) for v, label in question.choices],
                widget=forms.RadioSelect,
                **common,
            )
        return forms.CharField(
            widget=Textarea(attrs={"rows": 5}), max_length=20_000, **common
        )

    @classmethod
    def initial_from(cls, questions, answers: dict) -> dict:
        initial = {}
        for question in questions:
            value = answers.get(question.key)
            if question.kind == Kind.NOMINATIONS:
                initial[field_name(question)] = [str(v) for v in value or []]
            elif value is not None:
                initial[field_name(question)] = str(value)
        return initial

    def answers(self) -> dict:
        return {q.key: self.cleaned_data.get(field_name(q)) for q in self.questions}

    def add_service_errors(self, error: ValidationError) -> None:
        """Put `save_review`'s {question key: message} errors on the fields."""
        keys = {q.key for q in self.questions}
        if hasattr(error, "error_dict"):
            for key, errors in error.message_dict.items():
                self.add_error(f"q_{key}" if key in keys else None, errors)
        else:
            self.add_error(None, error)


class PostForm(forms.Form):
    body = forms.CharField(
        label="Your message",
        widget=Textarea(attrs={"rows": 4}),
        max_length=10_000,
    )

    # A refused post (over the limit, or the discussion closed while it was
    # written) redirects back to the page it came from, which differs by role;
    # the text waits in the session and fills the form there once, so nothing
    # typed is lost.
    SESSION_KEY = "discussion-refused-post-{}"

    @classmethod
    def keep_refused(cls, request, submission, body: str) -> None:
        if body.strip():
            request.session[cls.SESSION_KEY.format(submission.pk)] = body

    @classmethod
    def for_page(cls, request, submission) -> "PostForm":
        """The form, holding the last refused post on this submission if any."""
        body = request.session.pop(cls.SESSION_KEY.format(submission.pk), "")
        return cls(initial={"body": body}) if body else cls()


# --- the chairs' review-form editor --------------------------------------------------
def choices_text(choices) -> str:
    return "\n".join(f"{value}: {label}" for value, label in choices)


def parse_choices(text: str, *, numeric: bool) -> list:
    """ "3: Strong accept" per line -> [[3, "Strong accept"], ...]; a line without a
    value is its own value (choices of a plain choice question)."""
    parsed, seen = [], set()
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        value, colon, label = line.partition(":")
        value, label = value.strip(), label.strip()
        if not colon:
            value = label = line
        if numeric:
            try:
                value = int(value)
            except ValueError as error:
                raise ValidationError(
                    f"“{line}”: start with a whole number, e.g. “3: Strong accept”."
                ) from error
        if not label:
            raise ValidationError(f"“{line}” has no label.")
        if value in seen:
            raise ValidationError(f"The value {value} appears twice.")
        seen.add(value)
        parsed.append([value, label])
    return parsed


class InstructionsForm(forms.Form):
    instructions = forms.CharField(
        required=False,
        widget=Textarea(attrs={"rows": 3}),
        help_text="Shown to reviewers above the form.",
    )


class QuestionForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    label = forms.CharField(max_length=200)
    help_text = forms.CharField(
        required=False, widget=Textarea(attrs={"rows": 2}), label="Help"
    )
    # Text first: the natural default for a question a chair adds.
    kind = forms.ChoiceField(
        choices=sorted(Kind.choices, key=lambda c: c[0] != Kind.TEXT)
    )
    choices = forms.CharField(
        required=False,
        widget=Textarea(attrs={"rows": 4}),
        help_text="Score, confidence and choice questions: one answer a line, "
        "“value: label” (e.g. “3: Strong accept”).",
    )
    is_required = forms.BooleanField(required=False, label="Required")
    visibility = forms.ChoiceField(
        choices=ReviewQuestion.Visibility.choices, label="Visible to"
    )
    order = forms.IntegerField(
        min_value=0, max_value=1000, required=False, help_text="Blank: last."
    )
    is_active = forms.BooleanField(
        required=False, label="Asked", help_text="Off: retired; its answers are kept."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.initial.get("id"):
            self.fields["kind"].disabled = True  # answers were given in that kind

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind in (Kind.SCORE, Kind.CONFIDENCE, Kind.CHOICE):
            try:
                data["parsed_choices"] = parse_choices(
                    data.get("choices", ""), numeric=kind != Kind.CHOICE
                )
            except ValidationError as error:
                self.add_error("choices", error)
                return data
            if not data["parsed_choices"]:
                self.add_error("choices", "This kind of question needs its answers.")
        else:
            data["parsed_choices"] = []
        return data


class BaseQuestionFormSet(forms.BaseFormSet):
    def to_rows(self, questions: dict[int, ReviewQuestion]) -> list[QuestionData]:
        rows = []
        last = max((q.order for q in questions.values()), default=0)
        for form in self.forms:
            data = form.cleaned_data
            if not data or (not data.get("id") and not data.get("label")):
                continue  # the empty "add a question" row
            rows.append(
                QuestionData(
                    question=questions.get(data["id"]) if data.get("id") else None,
                    label=data["label"],
                    help_text=data["help_text"],
                    kind=data["kind"],
                    choices=data["parsed_choices"],
                    is_required=data["is_required"],
                    visibility=data["visibility"],
                    order=last + 1 if data["order"] is None else data["order"],
                    # A question added is a question asked.
                    is_active=data["is_active"] or not data.get("id"),
                )
            )
        return rows


QuestionFormSet = forms.formset_factory(
    QuestionForm, formset=BaseQuestionFormSet, extra=1
)


def question_initial(question: ReviewQuestion) -> dict:
    return {
        "id": question.pk,
        "label": question.label,
        "help_text": question.help_text,
        "kind": question.kind,
        "choices": choices_text(question.choices),
        "is_required": question.is_required,
        "visibility": question.visibility,
        "order": question.order,
        "is_active": question.is_active,
    }
