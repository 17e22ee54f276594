"""Plainly synthetic children: the population the front door draws from, names, UPNs, postcodes.

Names come from a short fixed list with the surname "Testchild-<number>"; postcodes are in the
"ZZ" area, which does not exist; UPNs carry a valid check letter but a made-up LA number (999).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .dice import Dice, Weighted

FIRST_NAMES = (
    "Alex",
    "Sam",
    "Jordan",
    "Charlie",
    "Riley",
    "Casey",
    "Morgan",
    "Jamie",
    "Taylor",
    "Robin",
    "Frankie",
    "Harley",
    "Reese",
    "Rowan",
    "Sky",
    "Toni",
    "Drew",
    "Ellis",
    "Kit",
    "Lou",
)
WORKER_FIRST_NAMES = (
    "Ann",
    "Ben",
    "Cara",
    "Dev",
    "Ema",
    "Finn",
    "Gita",
    "Hal",
    "Ivy",
    "Jon",
    "Kay",
    "Liam",
    "Mo",
    "Nia",
    "Oli",
    "Pam",
    "Raj",
    "Sue",
    "Tom",
    "Val",
)
_UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"

ETHNICITY = Weighted(
    [
        ("WBRI", 0.89),
        ("WOTH", 0.04),
        ("WIRT", 0.008),
        ("WROM", 0.007),
        ("WIRI", 0.003),
        ("MWBC", 0.008),
        ("MWAS", 0.006),
        ("MOTH", 0.008),
        ("MWBA", 0.003),
        ("AIND", 0.004),
        ("AOTH", 0.004),
        ("APKN", 0.002),
        ("BAFR", 0.003),
        ("BCRB", 0.002),
        ("CHNE", 0.002),
        ("OOTH", 0.004),
        ("NOBT", 0.004),
        ("REFU", 0.002),
    ]
)
DISABILITIES = (
    ("LD",),
    ("AUT",),
    ("AUT", "COMM"),
    ("BEH",),
    ("MOB", "PC"),
    ("COMM",),
    ("HEAR",),
    ("VIS",),
    ("LD", "MOB"),
    ("CON",),
)


@dataclass
class Population:
    """Virtual children of the area (most never meet children's services), as arrays."""

    dob: np.ndarray  # day numbers
    weight: np.ndarray  # how likely a child is to be the subject of a contact


def population(rng: np.random.Generator, *, children: int, first: int, last: int) -> Population:
    """Children born uniformly from `first` to `last` at the rate that keeps `children` aged 0-17.

    Contact propensity is log-normal: a few families are known again and again, most once.
    """
    per_day = children / (18 * 365.25)
    n = int(round(per_day * (last - first)))
    dob = np.sort(rng.integers(first, last, size=n))
    weight = rng.lognormal(0.0, 1.25, size=n)
    return Population(dob=dob, weight=weight)


def upn(dice: Dice, serial: int) -> str:
    """A UPN with a correct check letter: LA 999 (not a real LA), made-up school and serial."""
    body = f"999{dice.int(1000, 9999)}{dice.int(10, 19)}{serial % 1000:03d}"
    total = sum((i + 2) * int(c) for i, c in enumerate(body))
    return _UPN_LETTERS[total % 23] + body


def postcode(dice: Dice) -> str:
    """A postcode in the fictitious ZZ area."""
    return (
        f"ZZ{dice.int(1, 20)} {dice.int(1, 9)}{dice.pick('ABDEFGHJLNPQRSTUWXYZ')}"
        f"{dice.pick('ABDEFGHJLNPQRSTUWXYZ')}"
    )


def child_name(dice: Dice, number: int) -> tuple[str, str]:
    return dice.pick(FIRST_NAMES), f"Testchild-{number:05d}"


def worker_name(dice: Dice, number: int) -> str:
    return f"{dice.pick(WORKER_FIRST_NAMES)} Testworker-{number:04d}"


def disabilities(dice: Dice) -> list[str]:
    """Most children known to services have no disability; about 6% have one or two."""
    if dice.chance(0.06):
        return list(dice.pick(DISABILITIES))
    return ["NONE"]
