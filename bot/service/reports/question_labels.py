"""Supervisors' labels on unanswered questions, and their export as Rasa NLU training data (YAML)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from typing import Dict, List

from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString
from sqlalchemy import select
from sqlalchemy.engine import Engine

from bot.service.reports import tables as schema
from bot.shared.clock import as_utc

NLU_FORMAT_VERSION = "3.1"


@dataclass(frozen=True)
class QuestionLabel:
    id: int
    text: str
    intent: str
    agent_id: int
    created_at: datetime


def add_label(engine: Engine, text: str, intent: str, agent_id: int, at: datetime) -> QuestionLabel:
    """`text` is already masked; labelling the same text again with another intent keeps the latest only."""
    table = schema.labels
    with engine.begin() as connection:
        connection.execute(table.delete().where(table.c.text == text))
        label_id = connection.execute(
            table.insert().values(text=text, intent=intent, agent_id=agent_id, created_at=at)
        ).inserted_primary_key[0]
    return QuestionLabel(int(label_id), text, intent, agent_id, at)


def all_labels(engine: Engine) -> List[QuestionLabel]:
    table = schema.labels
    with engine.connect() as connection:
        rows = connection.execute(select(table).order_by(table.c.intent, table.c.id))
        return [QuestionLabel(row.id, row.text, row.intent, row.agent_id, as_utc(row.created_at)) for row in rows]


def labels_by_text(engine: Engine) -> Dict[str, str]:
    return {label.text: label.intent for label in all_labels(engine)}


def nlu_yaml(labels: List[QuestionLabel]) -> str:
    """Rasa's NLU format: one `- intent:` with its examples as a literal block, intents in name order."""
    examples: Dict[str, List[str]] = {}
    for label in labels:
        examples.setdefault(label.intent, [])
        if label.text not in examples[label.intent]:
            examples[label.intent].append(label.text)
    document = {
        "version": DoubleQuotedScalarString(NLU_FORMAT_VERSION),
        "nlu": [
            {"intent": intent, "examples": LiteralScalarString("".join(f"- {text}\n" for text in texts))}
            for intent, texts in sorted(examples.items())
        ],
    }
    yaml = YAML()
    yaml.default_flow_style = False
    out = io.StringIO()
    yaml.dump(document, out)
    return out.getvalue()
