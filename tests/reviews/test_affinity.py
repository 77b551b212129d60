"""The text term of the in-app affinity is the expertise scorer's."""

import numpy as np
import pytest

from reviews.affinity import compute_affinity, reviewer_documents, submission_text
from reviews.expertise import expertise
from reviews.models import ReviewerProfile, ReviewSettings
from tests.factories import SubmissionFactory

pytestmark = pytest.mark.django_db

TEXT_ONLY = ReviewSettings(weight_bid=0.0, weight_topic=0.0, weight_text=1.0)


def test_reviewer_documents_are_the_keywords_and_each_paragraph():
    profile = ReviewerProfile(
        keywords="FPGA, sparsity",
        own_publications="Sparse training\nOn FPGAs.\n\n  \nEnergy of GPUs\n\n",
    )

    assert reviewer_documents(profile) == [
        "FPGA, sparsity",
        "Sparse training\nOn FPGAs.",
        "Energy of GPUs",
    ]
    assert reviewer_documents(None) == []


def test_affinity_text_term_is_the_expertise_score(conference, author, make_reviewer):
    submissions = [
        SubmissionFactory(
            conference=conference,
            number=1,
            contact=author,
            title="Sparse training of transformers on FPGAs",
            keywords="hardware",
        ),
        SubmissionFactory(
            conference=conference,
            number=2,
            contact=author,
            title="Energy models of GPUs",
        ),
    ]
    fpga, gpu, blank = (
        make_reviewer(f"{name}@far.example.net") for name in ("fpga", "gpu", "blank")
    )
    ReviewerProfile.objects.create(
        user=fpga, own_publications="FPGA accelerators for sparse training\n\nCompilers"
    )
    ReviewerProfile.objects.create(user=gpu, keywords="GPU energy")

    affinity = compute_affinity(
        submissions, [fpga, gpu, blank], review_settings=TEXT_ONLY, source="computed"
    )

    expected = expertise(
        [submission_text(s) for s in submissions],
        [
            ["FPGA accelerators for sparse training", "Compilers"],
            ["GPU energy"],
            [],
        ],
    )
    np.testing.assert_allclose(affinity.text, expected)
    np.testing.assert_allclose(affinity.total, expected)
    assert affinity.text[0, 0] > affinity.text[0, 1]
    assert affinity.text[1, 1] > affinity.text[1, 0]
    assert affinity.text[:, 2].tolist() == [0.0, 0.0]


def test_affinity_text_term_ignores_author_names(conference, author, make_reviewer):
    # The reviewer's own papers are full of the author's name; the submission's
    # text is not. Names must not make them experts.
    reviewer = make_reviewer("named@far.example.net")
    ReviewerProfile.objects.create(
        user=reviewer, own_publications=f"{author.name} {author.name}\n\n{author.email}"
    )
    plain = SubmissionFactory(
        conference=conference, number=1, contact=author, title="Graphs"
    )

    affinity = compute_affinity(
        [plain], [reviewer], review_settings=TEXT_ONLY, source="computed"
    )

    assert author.name not in submission_text(plain)
    assert affinity.text.tolist() == [[0.0]]
