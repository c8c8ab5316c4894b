"""Groups similar questions: TF-IDF over character n-grams and cosine similarity, joined greedily."""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Sequence

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

from bot.service.reports.unanswered import Question

# two questions this similar (cosine of their TF-IDF vectors) ask the same thing, in the shop's data
SIMILAR = 0.25


@dataclass(frozen=True)
class QuestionGroup:
    id: int
    questions: List[Question]


def group_questions(questions: Sequence[Question], threshold: float = SIMILAR) -> List[QuestionGroup]:
    """Largest group first; a group is named by its first question's id, so a label finds it again.

    Character n-grams within words cope with typos and with the four languages alike, and need no model:
    the service does not load the assistant's sentence encoder (that runs in the Rasa server).
    """
    if not questions:
        return []
    texts = [question.text.lower() for question in questions]
    vectors = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True).fit_transform(texts)
    similarity = cosine_similarity(vectors)
    groups: List[List[int]] = []
    for index in range(len(questions)):
        # average linkage: joins the group it is closest to on average, if that is close enough
        best, best_score = None, threshold
        for number, members in enumerate(groups):
            score = float(similarity[index, members].mean())
            if score >= best_score:
                best, best_score = number, score
        if best is None:
            groups.append([index])
        else:
            groups[best].append(index)
    built = [QuestionGroup(questions[members[0]].id, [questions[i] for i in members]) for members in groups]
    return sorted(built, key=lambda group: (-len(group.questions), group.questions[0].at, group.id))
