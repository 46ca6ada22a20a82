"""The demo menu: its providers and its activities, about 1,400 of them, made up reproducibly
from the data files (``providers``, ``topics``, ``qualifiers``, ``activity_types``,
``delivery_modes``, ``audiences``).

Activities are written with ``bulk_create_with_history`` rather than ``programmes.menu``,
because 1,400 single saves with validation would take far longer than a demo set-up should.
Every row still gets its creation history row, and the database constraints still check every
value.

Used by ``seed_demo``, ``programmes.devtools.demo.programmes`` (which activities make up the
scale-1 menu) and tests.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from programmes.devtools.datafiles import read
from programmes.menu.models import (
    Activity,
    ActivityType,
    Area,
    DeliveryMode,
    Provider,
    ProviderKind,
)

DEFAULT_SEED = 1994
DEFAULT_SIZE = 1400
FIRST_DEMO_YEAR = 2012
LAST_DEMO_YEAR = 2026
RETIRED_SHARE = 0.025


@dataclass(frozen=True)
class TypeProfile:
    """How the demo names, weighs and delivers one activity type."""

    title: tuple[str, str]  # the word that ends a title, in English and French
    weight: int
    length_days: tuple[int, int]  # plausible lengths: shortest, longest
    mode_weights: list[int]  # in ``DeliveryMode`` order


def _providers() -> list[tuple[str, str, tuple[str, ...]]]:
    """Name, kind, and the area codes it specialises in (empty: it offers every area)."""
    return [
        (provider["name"], ProviderKind(provider["kind"]), tuple(provider["areas"]))
        for provider in read("providers")["providers"]
    ]


def _topics() -> dict[str, list[tuple[str, str]]]:
    """Per area code: topics as (English, French)."""
    return {
        area: [(topic["en"], topic["fr"]) for topic in topics]
        for area, topics in read("topics")["topics"].items()
    }


def _qualifiers() -> list[tuple[str, str, int, set[str] | None]]:
    """What follows the topic: English, French, weight, and the types they suit (None: all)."""
    return [
        (
            qualifier["en"],
            qualifier["fr"],
            qualifier["weight"],
            None if qualifier["types"] is None else {ActivityType(t) for t in qualifier["types"]},
        )
        for qualifier in read("qualifiers")["qualifiers"]
    ]


def _type_profiles() -> dict[str, TypeProfile]:
    """Per activity type (every one of them): its profile."""
    data = read("activity_types")["activity_types"]
    profiles = {}
    for activity_type in ActivityType.values:
        profile = data[activity_type]
        profiles[activity_type] = TypeProfile(
            title=(profile["title"]["en"], profile["title"]["fr"]),
            weight=profile["weight"],
            length_days=tuple(profile["length_days"]),
            mode_weights=[profile["delivery_modes"][mode] for mode in DeliveryMode.values],
        )
    return profiles


PROVIDERS = _providers()
TOPICS = _topics()
QUALIFIERS = _qualifiers()
TYPE_PROFILES = _type_profiles()
MODE_PHRASES: dict[str, tuple[str, str]] = {
    DeliveryMode(mode): (phrase["en"], phrase["fr"])
    for mode, phrase in read("delivery_modes")["delivery_modes"].items()
}
AUDIENCES: list[tuple[str, str]] = [
    (audience["en"], audience["fr"]) for audience in read("audiences")["audiences"]
]


def _days(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def demo_providers() -> dict[str, Provider]:
    """The demo providers by name, created when missing."""
    return {
        name: Provider.objects.get_or_create(name=name, defaults={"kind": kind})[0]
        for name, kind, _areas in PROVIDERS
    }


def _choose_provider(rng: random.Random, area_code: str, kind: str | None) -> str:
    """A provider's name: specialists of the area three times as likely as generalists."""
    candidates = [
        (name, 3 if area_code in areas else 1)
        for name, provider_kind, areas in PROVIDERS
        if (not areas or area_code in areas) and kind in (None, provider_kind)
    ]
    if not candidates:
        candidates = [(name, 1) for name, provider_kind, _ in PROVIDERS if provider_kind == kind]
    names, weights = zip(*candidates, strict=True)
    return rng.choices(names, weights=weights)[0]


def generate_demo_rows(*, seed: int, size: int, area_codes: list[str]) -> list[dict]:
    """The demo activities as field dicts (provider and area by name and code), reproducibly.

    Row ``i`` depends only on the seed and the rows before it, never on ``size``; so a larger
    menu starts with the smaller one. The first rows walk through every area, type, delivery
    mode and provider kind, so that even a small menu shows them all.
    """
    rng = random.Random(seed)  # noqa: S311 -- demo data must be reproducible, not secret
    types = list(ActivityType.values)
    modes = list(DeliveryMode.values)
    kinds = list(ProviderKind.values)
    area_weights = [len(TOPICS[code]) for code in area_codes]
    next_number = dict.fromkeys(area_codes, 0)
    used_titles: set[str] = set()
    rows = []
    for index in range(size):
        walking = index < max(len(area_codes), len(types))
        if walking:
            area_code = area_codes[index % len(area_codes)]
            activity_type = types[index % len(types)]
            mode = modes[index % len(modes)]
            kind = kinds[index % len(kinds)]
        else:
            area_code = rng.choices(area_codes, weights=area_weights)[0]
            activity_type = rng.choices(types, weights=[TYPE_PROFILES[t].weight for t in types])[0]
            mode = rng.choices(modes, weights=TYPE_PROFILES[activity_type].mode_weights)[0]
            kind = None
        provider = _choose_provider(rng, area_code, kind)

        suffix_en, suffix_fr = TYPE_PROFILES[activity_type].title
        qualifiers = [q for q in QUALIFIERS if q[3] is None or activity_type in q[3]]
        # A few tries for a title not used yet; after that, a repeat is acceptable.
        for _attempt in range(5):
            topic_en, topic_fr = rng.choice(TOPICS[area_code])
            qualifier_en, qualifier_fr, _weight, _types = rng.choices(
                qualifiers, weights=[q[2] for q in qualifiers]
            )[0]
            title_en = f"{topic_en}{qualifier_en} — {suffix_en}"
            if title_en not in used_titles:
                break
        used_titles.add(title_en)
        title_fr = f"{topic_fr}{qualifier_fr} — {suffix_fr}"

        low, high = TYPE_PROFILES[activity_type].length_days
        length_days = rng.randint(low, high)
        first_offered = rng.randint(FIRST_DEMO_YEAR, LAST_DEMO_YEAR)
        retired_in = None
        if first_offered < LAST_DEMO_YEAR and rng.random() < RETIRED_SHARE:
            retired_in = rng.randint(first_offered + 1, LAST_DEMO_YEAR)

        audience_en, audience_fr = rng.choice(AUDIENCES)
        mode_en, mode_fr = MODE_PHRASES[mode]
        description_en = (
            f"{suffix_en.capitalize()} on “{topic_en}” for {audience_en}; "
            f"{mode_en}, {_days(length_days, 'day', 'days')}. Provider: {provider}."
        )
        description_fr = (
            f"{suffix_fr.capitalize()} sur le thème « {topic_fr} » pour "
            f"{audience_fr} ; {mode_fr}, {_days(length_days, 'jour', 'jours')}. "
            f"Organisateur : {provider}."
        )

        next_number[area_code] += rng.randint(1, 3)  # gaps, like a menu that has lived
        rows.append(
            {
                "code": f"{area_code.upper()}-{next_number[area_code]:04d}",
                "title_en": title_en,
                "title_fr": title_fr,
                "description_en": description_en,
                "description_fr": description_fr,
                "area": area_code,
                "type": activity_type,
                "provider": provider,
                "delivery_mode": mode,
                "length_days": length_days,
                "first_offered": first_offered,
                "retired_in": retired_in,
            }
        )
    return rows


def seed_demo_menu(*, seed: int = DEFAULT_SEED, size: int = DEFAULT_SIZE) -> int:
    """Create the demo providers and menu; return how many activities were created.

    Activities whose code exists already are left alone, so a second run creates none. Areas
    come from the database (the starting set of migration 0002); one without demo topics, or a
    demo area that has been removed, is skipped.
    """
    with transaction.atomic():
        areas = {area.code: area for area in Area.objects.filter(code__in=TOPICS)}
        area_codes = [code for code in TOPICS if code in areas]
        if not area_codes:
            return 0
        providers = demo_providers()
        existing = set(Activity.objects.values_list("code", flat=True))
        activities = [
            Activity(**row | {"area": areas[row["area"]], "provider": providers[row["provider"]]})
            for row in generate_demo_rows(seed=seed, size=size, area_codes=area_codes)
            if row["code"] not in existing
        ]
        bulk_create_with_history(activities, Activity, batch_size=500)
    return len(activities)
