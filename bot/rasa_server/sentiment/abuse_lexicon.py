"""Words and phrases that make a message abusive, whatever its overall sentiment score."""

from __future__ import annotations

from typing import FrozenSet, Tuple

PROFANITY: FrozenSet[str] = frozenset(
    {
        "shit",
        "shitty",
        "bullshit",
        "fuck",
        "fucking",
        "fucked",
        "fucker",
        "wtf",
        "bastard",
        "bastards",
        "asshole",
        "assholes",
        "dickhead",
        "crap",
        "crappy",
    }
)

# insults count only when aimed at someone: "stupid me" is not abuse, "you stupid bot" is
INSULTS: FrozenSet[str] = frozenset(
    {
        "idiot",
        "idiots",
        "idiotic",
        "moron",
        "morons",
        "moronic",
        "stupid",
        "dumb",
        "dumbass",
        "imbecile",
        "cretin",
        "useless",
        "pathetic",
        "incompetent",
        "clown",
        "clowns",
        "scam",
        "scammers",
        "crooks",
        "thieves",
        "liars",
        "garbage",
        "trash",
        "rubbish",
        "jerk",
        "jerks",
    }
)

TARGETS: FrozenSet[str] = frozenset(
    {
        "you",
        "your",
        "you're",
        "youre",
        "u",
        "ur",
        "yours",
        "bot",
        "company",
        "shop",
        "store",
        "service",
        "support",
        "staff",
        "people",
        "guys",
        "team",
    }
)

ABUSIVE_PHRASES: Tuple[str, ...] = (
    "shut up",
    "piece of junk",
    "go to hell",
    "ripped me off",
)
