"""Fictional students for samples, tests, benchmarks and the training mode.

Names are common Norwegian given names and surnames combined at random: any
resemblance to a real student is a coincidence. Seeded, so every run gives the
same class.
"""

from __future__ import annotations

import random

from .rules import Rules, pair
from .students import Roster, Student

GIRLS = (
    "Nora Emma Sofie Olivia Ella Ingrid Leah Sara Maja Frida Emilie Thea Hedda Vilde Ida Tiril "
    "Astrid Mathilde Selma Aurora Hanna Jenny Julie Amalie Sigrid Tuva Mia Marte Oda Linnea "
    "Åse Kjærstin Solveig Ragnhild Signe Andrea Live Eline Mari Ylva"
).split()
BOYS = (
    "Jakob Emil Noah Oliver Filip William Lucas Liam Henrik Oskar Aksel Theodor Isak Elias Magnus "
    "Johannes Sander Tobias Mathias Kasper Even Sindre Ola Håkon Jonas Eirik Ulrik Vetle Sigurd "
    "Øyvind Bjørn Trygve Torstein Martin Adrian Ask Brage Markus Jørgen Kristian"
).split()
SURNAMES = (
    "Hansen Johansen Olsen Larsen Andersen Pedersen Nilsen Kristiansen Jensen Karlsen Johnsen "
    "Pettersen Eriksen Berg Haugen Hagen Johannessen Andreassen Jacobsen Dahl Jørgensen Halvorsen "
    "Henriksen Lund Sørensen Jakobsen Moen Gundersen Iversen Strand Solberg Svendsen Eide Knutsen "
    "Martinsen Paulsen Bakken Kristoffersen Mathisen Lie Amundsen Nguyen Rasmussen Ali Lunde "
    "Solheim Berge Moe Nygård Bakke Kristensen Fredriksen Holm Lien Hauge Christensen Andresen "
    "Nielsen Knudsen Evensen Sæther Aas Myhre Hanssen Ahmed Haugland Thomassen Sivertsen Simonsen "
    "Danielsen Berntsen Sandvik Rønning Arnesen Antonsen Næss Vik Haug Ellingsen Thorsen Edvardsen "
    "Birkeland Isaksen Gulbrandsen Ruud Aasen Strøm Myklebust Tangen Ødegård Eliassen Helland Aune"
).split()
SCHOOLS = (
    "Nordby ungdomsskole", "Solberg ungdomsskole", "Fjellheim ungdomsskole",
    "Sjøvik ungdomsskole", "Lindeli skole", "Granly ungdomsskole",
)


def fictional_students(
    n: int,
    seed: int = 0,
    *,
    klass: str = "1STA",
    girls: float = 0.5,
    schools: int = 4,
    id_start: int = 4001,
) -> list[Student]:
    """``n`` invented students with distinct names, ~``girls`` share of girls."""
    rng = random.Random(f"{seed}-{klass}-{n}")
    n_girls = round(n * girls)
    used: set[str] = set()
    out = []
    for i in range(n):
        gender = "K" if i < n_girls else "M"
        pool = GIRLS if gender == "K" else BOYS
        while True:
            first, last = rng.choice(pool), rng.choice(SURNAMES)
            if f"{first} {last}" not in used:
                break
        used.add(f"{first} {last}")
        school = SCHOOLS[rng.randrange(schools)] if schools else None
        out.append(Student(str(id_start + i), f"{first} {last}", first, last, klass, gender, school))
    rng.shuffle(out)
    return out


def fictional_roster(n: int, seed: int = 0, **kw) -> Roster:
    students = fictional_students(n, seed, **kw)
    return Roster(kw.get("klass", "1STA"), students, [], "fictional")


def realistic_rules(students: list[Student], seed: int = 0, never: int = 2, apart: int = 0) -> Rules:
    """A few random never-together (and preferably-apart) pairs, as a school has."""
    rng = random.Random(f"rules-{seed}-{len(students)}")
    ids = [s.id for s in students]
    chosen: list[frozenset[str]] = []
    while len(chosen) < never + apart and len(ids) >= 2:
        a, b = rng.sample(ids, 2)
        p = pair(a, b)
        if p not in chosen:
            chosen.append(p)
    return Rules(never=set(chosen[:never]), apart=set(chosen[never:]))


def pseudonymise(students: list[Student], seed: int = 0) -> list[Student]:
    """Same ids, invented names (by gender where known): for training and demos.

    A pool twice the class size holds as many invented girls as boys, all
    names distinct, so each student gets one of their own gender. Invented
    names that equal a real name in the class are left out of the pool (and
    the pool grows by as many per gender), so no real name reappears on
    someone else.
    """
    taken = {s.name.casefold() for s in students} | {f"{s.first} {s.last}".strip().casefold() for s in students}
    pool = fictional_students(2 * (len(students) + len(taken)), seed, girls=0.5, schools=0)
    pool = [p for p in pool if p.name.casefold() not in taken]
    by_gender = {"K": [p for p in pool if p.gender == "K"], "M": [p for p in pool if p.gender == "M"]}
    out = []
    for i, s in enumerate(students):
        side = s.gender if s.gender in by_gender else ("K", "M")[i % 2]
        src = by_gender[side].pop()
        out.append(Student(s.id, src.name, src.first, src.last, s.klass, s.gender, s.school))
    return out
