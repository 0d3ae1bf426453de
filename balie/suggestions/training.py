"""Training the per-organisation suggestion model: TF-IDF plus logistic regression (scikit-learn).

Only training needs scikit-learn. The result is stored as plain numpy arrays (``np.savez``, loaded
with ``allow_pickle=False``), so the desk never unpickles anything from the database and a model
survives a scikit-learn upgrade. Prediction lives in ``ranking.Predictor``; storing a trained model in
``services.suggestion_model_train``.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np

from balie.desk.models import Question

from .features import FEATURES_VERSION, features

# The newest notes count; older habits fade. Also bounds training time and memory (seconds, in the background).
MAX_TRAINING_NOTES = 50_000
# Below this the lexicon alone is better than a model that has seen a handful of notes.
MIN_TRAINING_NOTES = 30
# A word must occur in at least two notes: one-off words are noise, and a name that slipped past the
# redaction never becomes part of the model.
MIN_DF = 2
HEADS = ("instantie", "onderwerp")


@dataclass(frozen=True)
class TrainingSet:
    notes: list[str]
    instantie: list[str]
    onderwerp: list[str]

    def __len__(self) -> int:
        return len(self.notes)


def training_set(organisation_id: int, *, limit: int = MAX_TRAINING_NOTES) -> TrainingSet:
    """The organisation's own labelled notes, newest first. Notes never leave their organisation."""
    rows = list(
        Question.objects.filter(organisation_id=organisation_id, tally=False)
        .exclude(note="")
        .order_by("-started_at", "-id")
        .values_list("note", "instantie", "onderwerp")[:limit]
    )
    return TrainingSet([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows])


def fit(data: TrainingSet, *, alpha: float = 1e-4, epochs: int = 10) -> bytes:
    """Train both heads on one shared TF-IDF vocabulary and return the arrays as npz bytes.

    SGD with logistic loss: as accurate as LogisticRegression on our notes (bench/suggest.py) but
    5-10x faster to train, which matters for the in-memory fallback and for big organisations.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import SGDClassifier

    min_df = MIN_DF if len(data) >= 10 * MIN_DF else 1
    vectorizer = TfidfVectorizer(analyzer=features, sublinear_tf=True, min_df=min_df, dtype=np.float32)
    matrix = vectorizer.fit_transform(data.notes)
    vocabulary = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.get)
    arrays: dict[str, np.ndarray] = {
        "features_version": np.array([FEATURES_VERSION]),
        "n_samples": np.array([len(data)]),
        "vocabulary": np.array(vocabulary, dtype=str),
        "idf": vectorizer.idf_.astype(np.float32),
    }
    for head in HEADS:
        labels = getattr(data, head)
        classes = sorted(set(labels))
        if len(classes) == 1:
            # Nothing to learn: the one code always wins.
            coef = np.zeros((len(vocabulary), 1), dtype=np.float32)
            intercept = np.zeros(1, dtype=np.float32)
        else:
            # Fixed epochs and seed: the same notes always give the same model.
            model = SGDClassifier(loss="log_loss", alpha=alpha, max_iter=epochs, tol=None, random_state=0)
            model.fit(matrix, labels)
            coef, intercept = model.coef_, model.intercept_
            if len(classes) == 2:
                # A binary model keeps one row (the second class); store the first as its mirror image.
                coef = np.vstack([-coef, coef])
                intercept = np.concatenate([-intercept, intercept])
            coef = coef.T.astype(np.float32)  # (features, classes): a note's rows are gathered directly
            intercept = intercept.astype(np.float32)
        arrays[f"{head}_classes"] = np.array(classes, dtype=str)
        arrays[f"{head}_coef"] = np.ascontiguousarray(coef)
        arrays[f"{head}_intercept"] = intercept
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    return buffer.getvalue()


def new_notes_since(organisation_id: int, moment: object, *, enough: int) -> int:
    """Labelled notes registered after moment, counted up to enough (counting further is wasted work)."""
    qs = Question.objects.filter(organisation_id=organisation_id, tally=False).exclude(note="")
    if moment is not None:
        qs = qs.filter(created_at__gt=moment)
    return qs[:enough].count()
