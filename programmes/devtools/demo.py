"""A realistic, deterministic demo: the menu (providers and about 1,400 activities) and the
partners' programmes.

Called by the ``seed_demo`` management command and by tests; nothing else should import it.
The same seed always gives the same demo, and a second run adds nothing: activities whose code
exists already are skipped, and so are partners that have a programme already.

Activities are written with ``bulk_create_with_history`` rather than ``programmes.menu``, because
1,400 single saves with validation would take far longer than a demo set-up should. Every row
still gets its creation history row, and the database constraints still check every value.
Programmes, on the other hand, are built step by step through ``programmes.workflow`` by the
demo users, so that their history, drafters and approvers look like the real thing and every
rule of the workflow is checked.

A larger demo (``scale`` N, for benchmarks: ``seed_demo --scale N``) gives the menu N times as
many activities and each partner with a programme N - 1 earlier four-year programmes, agreed in
their time (one in four revised once). Those earlier programmes go through the workflow for
every status change (created, submitted, approved, agreed, revised), but their objectives, goals
and planned activities are written with ``bulk_create_with_history`` (with their history rows):
one workflow call per planned activity would make a scale-4 demo take minutes. Scale 1 is the
demo as it always was.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from unittest import mock

from django.contrib.auth import get_user_model
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from partners.models import Partner, PartnerStatus
from pfp.roles import Role
from programmes import workflow
from programmes.devtools.users import DemoUser, seed_demo_users
from programmes.menu.models import (
    Activity,
    ActivityType,
    Area,
    DeliveryMode,
    Provider,
    ProviderKind,
)
from programmes.models import (
    PROGRAMME_YEARS,
    Comment,
    Goal,
    Objective,
    PlannedActivity,
    Priority,
    Programme,
)

DEFAULT_SEED = 1994
DEFAULT_SIZE = 1400
FIRST_DEMO_YEAR = 2012
LAST_DEMO_YEAR = 2026
RETIRED_SHARE = 0.025

# name, kind, area codes it specialises in (empty: it offers activities in every area).
PROVIDERS: list[tuple[str, str, tuple[str, ...]]] = [
    ("NATO School Oberammergau", ProviderKind.NATO_BODY, ()),
    ("NATO Defense College", ProviderKind.NATO_BODY, ("dpp", "dr", "cm", "pd", "wps")),
    ("NATO Communications and Information Academy", ProviderKind.NATO_BODY, ("cis", "cyber")),
    ("NATO Joint Warfare Centre", ProviderKind.NATO_BODY, ("mil", "std", "cm")),
    ("NATO Joint Force Training Centre", ProviderKind.NATO_BODY, ("mil", "std", "log", "med")),
    ("NATO International Staff", ProviderKind.NATO_BODY, ("bi", "pd", "wps", "sci", "np", "dr")),
    (
        "Euro-Atlantic Disaster Response Coordination Centre",
        ProviderKind.NATO_BODY,
        ("cep", "cm"),
    ),
    ("NATO Support and Procurement Agency", ProviderKind.NATO_BODY, ("log",)),
    (
        "NATO Maritime Interdiction Operational Training Centre",
        ProviderKind.TRAINING_CENTRE,
        ("bs", "ct", "np", "mil"),
    ),
    ("Austrian Armed Forces International Centre", ProviderKind.TRAINING_CENTRE, ()),
    ("Swedish Armed Forces International Centre", ProviderKind.TRAINING_CENTRE, ("cmr", "wps")),
    ("Finnish Defence Forces International Centre", ProviderKind.TRAINING_CENTRE, ("cm", "cmr")),
    ("Peace Support Operations Training Centre", ProviderKind.TRAINING_CENTRE, ("lang", "cm")),
    ("Cooperative Cyber Defence Centre of Excellence", ProviderKind.TRAINING_CENTRE, ("cyber",)),
    ("Civil-Military Cooperation Centre of Excellence", ProviderKind.TRAINING_CENTRE, ("cmr",)),
    ("Military Medicine Centre of Excellence", ProviderKind.TRAINING_CENTRE, ("med",)),
    ("Defence Against Terrorism Centre of Excellence", ProviderKind.TRAINING_CENTRE, ("ct",)),
    ("George C. Marshall European Center for Security Studies", ProviderKind.ALLIED_NATION, ()),
    ("Defence Academy of the United Kingdom", ProviderKind.ALLIED_NATION, ("dpp", "dr", "et")),
    ("Bundeswehr Command and Staff College", ProviderKind.ALLIED_NATION, ("et", "mil", "dpp")),
    ("Baltic Defence College", ProviderKind.ALLIED_NATION, ("et", "dpp", "cmr")),
    ("Canadian Military Training and Cooperation Programme", ProviderKind.ALLIED_NATION, ("lang",)),
    ("French Ministry of the Armed Forces", ProviderKind.ALLIED_NATION, ("lang", "cm", "med")),
    ("Norwegian Ministry of Defence", ProviderKind.ALLIED_NATION, ("bi", "dr")),
    ("Polish Armed Forces Logistics School", ProviderKind.ALLIED_NATION, ("log",)),
    ("Geneva Centre for Security Policy", ProviderKind.PARTNER, ()),
    (
        "Geneva International Centre for Humanitarian Demining",
        ProviderKind.PARTNER,
        ("salw",),
    ),
    ("Geneva Centre for Security Sector Governance", ProviderKind.PARTNER, ("bi", "cmr", "dr")),
    ("United Nations Training School Ireland", ProviderKind.PARTNER, ("cm", "wps")),
]

# Per area code: topics as (English, French). French topics start with a capital like titles do.
TOPICS: dict[str, list[tuple[str, str]]] = {
    "dpp": [
        ("Defence planning fundamentals", "Principes de la planification de défense"),
        ("Capability-based planning", "Planification fondée sur les capacités"),
        (
            "Defence budgeting and resource management",
            "Budget et gestion des ressources de défense",
        ),
        ("Strategic foresight", "Prospective stratégique"),
        ("National security strategy drafting", "Rédaction d'une stratégie de sécurité nationale"),
        ("Force structure review", "Revue de la structure des forces"),
        ("Partnership goals and the PARP process", "Objectifs du partenariat et processus PARP"),
        ("Defence policy analysis", "Analyse de la politique de défense"),
        ("Long-term defence investment", "Investissements de défense à long terme"),
        ("Scenario-based planning", "Planification fondée sur des scénarios"),
    ],
    "dr": [
        ("Defence institution building", "Renforcement des institutions de défense"),
        ("Human resources management in defence", "Gestion des ressources humaines de la défense"),
        ("Professional military education reform", "Réforme de l'enseignement militaire supérieur"),
        ("Defence governance and management", "Gouvernance et gestion de la défense"),
        ("Parliamentary oversight of defence", "Contrôle parlementaire de la défense"),
        ("Reserve forces development", "Développement des forces de réserve"),
        ("Non-commissioned officer corps development", "Développement du corps des sous-officiers"),
        ("Defence legislation review", "Révision de la législation de défense"),
        ("Transparency in defence budgets", "Transparence des budgets de défense"),
        ("Security sector reform", "Réforme du secteur de la sécurité"),
    ],
    "cmr": [
        (
            "Civil-military cooperation in crisis response",
            "Coopération civilo-militaire dans la réponse aux crises",
        ),
        ("Democratic control of armed forces", "Contrôle démocratique des forces armées"),
        ("CIMIC field worker", "Agent de terrain CIMIC"),
        ("Civil-military interaction", "Interaction civilo-militaire"),
        ("Media and the armed forces", "Les médias et les forces armées"),
        ("Ombudsperson institutions for the armed forces", "Institutions de médiation militaire"),
        ("Civilian staff in ministries of defence", "Personnel civil des ministères de la défense"),
        ("Liaison with humanitarian organisations", "Liaison avec les organisations humanitaires"),
        ("Protection of civilians", "Protection des civils"),
        ("Cultural property protection", "Protection des biens culturels"),
    ],
    "et": [
        ("Instructor development", "Formation des instructeurs"),
        ("Curriculum design for military education", "Conception de programmes militaires"),
        ("Advanced distributed learning", "Apprentissage à distance avancé"),
        ("Staff officer orientation", "Orientation des officiers d'état-major"),
        ("Defence education enhancement", "Renforcement de l'enseignement de défense"),
        ("Faculty development", "Perfectionnement du corps enseignant"),
        (
            "Quality assurance in military education",
            "Assurance qualité de l'enseignement militaire",
        ),
        ("Exercise planning and evaluation", "Planification et évaluation des exercices"),
        ("Operational planning process", "Processus de planification opérationnelle"),
        ("NATO orientation", "Initiation à l'OTAN"),
        ("Comprehensive approach", "Approche globale"),
    ],
    "lang": [
        ("English for staff officers", "Anglais pour officiers d'état-major"),
        (
            "French for peace support operations",
            "Français pour les opérations de soutien de la paix",
        ),
        ("Military terminology in English", "Terminologie militaire en anglais"),
        ("Language testing to STANAG 6001", "Évaluation linguistique selon le STANAG 6001"),
        ("Language teacher training", "Formation des enseignants de langues"),
        ("Briefing skills in English", "Présentations orales en anglais"),
        ("Writing for NATO staffs", "Rédaction pour les états-majors de l'OTAN"),
        ("Terminology management", "Gestion de la terminologie"),
        ("Interpreting in military settings", "Interprétation en milieu militaire"),
    ],
    "mil": [
        ("Combined joint staff", "État-major interarmées multinational"),
        ("Command post exercise", "Exercice de poste de commandement"),
        ("Field training", "Entraînement sur le terrain"),
        ("Peace support operations", "Opérations de soutien de la paix"),
        ("Military engineering", "Génie militaire"),
        ("Air operations planning", "Planification des opérations aériennes"),
        ("Maritime operations", "Opérations maritimes"),
        ("Search and rescue at sea", "Recherche et sauvetage en mer"),
        ("Special operations forces cooperation", "Coopération des forces d'opérations spéciales"),
        ("Military police", "Police militaire"),
        ("Staff-to-staff talks", "Entretiens entre états-majors"),
        ("Evaluation of declared forces", "Évaluation des forces déclarées"),
    ],
    "std": [
        ("NATO standardization", "Normalisation à l'OTAN"),
        ("Operational capabilities concept", "Concept de capacités opérationnelles"),
        (
            "Interoperability of command and control",
            "Interopérabilité du commandement et du contrôle",
        ),
        ("Federated mission networking", "Réseau de mission fédéré"),
        ("Codification of equipment", "Codification des équipements"),
        ("Joint fire support", "Appui-feu interarmées"),
        ("Tactical data links", "Liaisons de données tactiques"),
        ("Doctrine development", "Élaboration de la doctrine"),
        ("Air traffic management", "Gestion du trafic aérien"),
        ("Self-evaluation of units", "Auto-évaluation des unités"),
    ],
    "cep": [
        ("Civil emergency planning", "Planification civile d'urgence"),
        ("Disaster response coordination", "Coordination de la réaction aux catastrophes"),
        ("Consequence management", "Gestion des conséquences"),
        ("Protection of critical infrastructure", "Protection des infrastructures critiques"),
        ("Urban search and rescue", "Recherche et sauvetage en milieu urbain"),
        ("Flood response", "Réaction aux inondations"),
        ("Forest fire fighting", "Lutte contre les feux de forêt"),
        (
            "Chemical, biological and radiological incidents",
            "Incidents chimiques, biologiques et radiologiques",
        ),
        ("Resilience of civil preparedness", "Résilience et préparation du secteur civil"),
        ("Mass casualty incidents", "Incidents à nombreuses victimes"),
        ("Host nation support", "Soutien par la nation hôte"),
    ],
    "cm": [
        ("Crisis management procedures", "Procédures de gestion des crises"),
        ("Crisis response operations", "Opérations de réponse aux crises"),
        ("Strategic communications in crises", "Communication stratégique en temps de crise"),
        (
            "Early warning and situational awareness",
            "Alerte précoce et connaissance de la situation",
        ),
        ("Negotiation and mediation", "Négociation et médiation"),
        ("Crisis management exercise", "Exercice de gestion des crises"),
        ("Decision-making under pressure", "Prise de décision sous pression"),
        ("Hybrid threats", "Menaces hybrides"),
        ("United Nations staff officer", "Officier d'état-major des Nations unies"),
        ("Post-conflict stabilisation", "Stabilisation après un conflit"),
    ],
    "ct": [
        ("Defence against terrorism", "Défense contre le terrorisme"),
        ("Countering improvised explosive devices", "Lutte contre les engins explosifs improvisés"),
        ("Terrorist financing", "Financement du terrorisme"),
        (
            "Critical infrastructure protection against terrorism",
            "Protection des infrastructures critiques contre le terrorisme",
        ),
        ("Radicalisation and violent extremism", "Radicalisation et extrémisme violent"),
        ("Maritime counter-terrorism", "Lutte contre le terrorisme maritime"),
        ("Harbour protection", "Protection des ports"),
        (
            "Counter-terrorism intelligence",
            "Renseignement en matière de lutte contre le terrorisme",
        ),
        ("Unmanned aircraft threats", "Menaces liées aux aéronefs sans pilote"),
        (
            "Legal aspects of counter-terrorism",
            "Aspects juridiques de la lutte contre le terrorisme",
        ),
    ],
    "bs": [
        ("Border security management", "Gestion de la sécurité des frontières"),
        ("Green border surveillance", "Surveillance de la frontière verte"),
        ("Maritime interdiction operations", "Opérations d'interdiction maritime"),
        ("Boarding operations", "Opérations d'arraisonnement"),
        ("Detection of illicit trafficking", "Détection des trafics illicites"),
        ("Document security at borders", "Sécurité des documents aux frontières"),
        ("Border guard leadership", "Encadrement des gardes-frontières"),
        ("Risk analysis for border services", "Analyse des risques pour les services frontaliers"),
        ("Cross-border cooperation", "Coopération transfrontalière"),
    ],
    "salw": [
        ("Small arms and light weapons control", "Contrôle des armes légères et de petit calibre"),
        ("Humanitarian demining", "Déminage humanitaire"),
        ("Explosive ordnance disposal", "Neutralisation des explosifs et munitions"),
        ("Physical security and stockpile management", "Sécurité physique et gestion des stocks"),
        ("Ammunition safety", "Sécurité des munitions"),
        ("Destruction of surplus munitions", "Destruction des munitions excédentaires"),
        ("Mine risk education", "Sensibilisation aux risques des mines"),
        ("Arms export controls", "Contrôle des exportations d'armes"),
        ("Weapons marking and tracing", "Marquage et traçage des armes"),
        ("Trust Fund project management", "Gestion de projets des fonds d'affectation spéciale"),
    ],
    "np": [
        (
            "Weapons of mass destruction non-proliferation",
            "Non-prolifération des armes de destruction massive",
        ),
        ("CBRN defence", "Défense NRBC"),
        ("Export control of dual-use goods", "Contrôle des exportations de biens à double usage"),
        ("Arms control and verification", "Maîtrise des armements et vérification"),
        ("Nuclear security", "Sécurité nucléaire"),
        ("Biological threat reduction", "Réduction de la menace biologique"),
        ("CBRN reconnaissance", "Reconnaissance NRBC"),
        ("Confidence- and security-building measures", "Mesures de confiance et de sécurité"),
        ("Vienna Document inspections", "Inspections au titre du Document de Vienne"),
    ],
    "cyber": [
        ("Cyber incident handling", "Gestion des incidents cyber"),
        ("Cyber defence fundamentals", "Principes de la cyberdéfense"),
        ("Network security monitoring", "Surveillance de la sécurité des réseaux"),
        ("Digital forensics", "Investigation numérique"),
        ("Cyber threat intelligence", "Renseignement sur les cybermenaces"),
        (
            "Critical information infrastructure protection",
            "Protection des infrastructures d'information critiques",
        ),
        ("National cyber security strategy", "Stratégie nationale de cybersécurité"),
        (
            "Computer emergency response teams",
            "Équipes d'intervention en cas d'urgence informatique",
        ),
        ("Cyber range", "Champ de tir cyber"),
        ("Legal aspects of cyber operations", "Aspects juridiques des opérations cyber"),
        ("Secure system administration", "Administration sécurisée des systèmes"),
        ("Malware analysis", "Analyse des logiciels malveillants"),
    ],
    "bi": [
        ("Building integrity", "Renforcement de l'intégrité"),
        ("Integrity in defence procurement", "Intégrité dans les acquisitions de défense"),
        ("Good governance in defence", "Bonne gouvernance dans la défense"),
        ("Corruption risk assessment", "Évaluation des risques de corruption"),
        ("Integrity self-assessment", "Auto-évaluation de l'intégrité"),
        ("Ethics and leadership", "Éthique et commandement"),
        ("Internal audit in defence", "Audit interne dans la défense"),
        ("Integrity in operations", "Intégrité dans les opérations"),
        ("Whistleblower protection", "Protection des lanceurs d'alerte"),
    ],
    "wps": [
        (
            "Gender perspective in military operations",
            "Perspective de genre dans les opérations militaires",
        ),
        ("Gender advisor", "Conseiller pour les questions de genre"),
        (
            "Women, peace and security national action plans",
            "Plans d'action nationaux femmes, paix et sécurité",
        ),
        (
            "Preventing conflict-related sexual violence",
            "Prévention des violences sexuelles liées aux conflits",
        ),
        ("Gender focal point", "Point focal pour les questions de genre"),
        (
            "Integrating gender in defence planning",
            "Intégration du genre dans la planification de défense",
        ),
        (
            "Protection of children in armed conflict",
            "Protection des enfants dans les conflits armés",
        ),
        ("Inclusive leadership", "Leadership inclusif"),
        ("Human security", "Sécurité humaine"),
    ],
    "pd": [
        ("Public diplomacy", "Diplomatie publique"),
        ("Strategic communications", "Communication stratégique"),
        ("Countering disinformation", "Lutte contre la désinformation"),
        ("Military public affairs", "Affaires publiques militaires"),
        ("Media relations for spokespersons", "Relations avec les médias pour porte-parole"),
        ("Digital communications", "Communication numérique"),
        ("Information environment assessment", "Évaluation de l'environnement informationnel"),
        ("Communicating NATO partnerships", "Faire connaître les partenariats de l'OTAN"),
        ("Crisis communications", "Communication de crise"),
    ],
    "sci": [
        ("Science for peace and security", "La science au service de la paix et de la sécurité"),
        ("Environmental security", "Sécurité environnementale"),
        ("Climate change and security", "Changement climatique et sécurité"),
        ("Energy security", "Sécurité énergétique"),
        (
            "Environmental protection in military activities",
            "Protection de l'environnement dans les activités militaires",
        ),
        ("Emerging and disruptive technologies", "Technologies émergentes et de rupture"),
        ("Water security", "Sécurité de l'eau"),
        ("Environmental remediation of military sites", "Dépollution des sites militaires"),
        ("Operational energy efficiency", "Efficacité énergétique opérationnelle"),
    ],
    "log": [
        ("Multinational logistics", "Logistique multinationale"),
        ("Logistics planning", "Planification logistique"),
        ("Movement and transportation", "Mouvements et transports"),
        ("Supply chain management", "Gestion de la chaîne d'approvisionnement"),
        ("Life-cycle management", "Gestion du cycle de vie"),
        ("Fuel and petroleum logistics", "Logistique pétrolière"),
        ("Contracting in operations", "Passation de marchés en opérations"),
        ("Maintenance management", "Gestion de la maintenance"),
        ("Logistics information systems", "Systèmes d'information logistique"),
        ("Reception, staging and onward movement", "Réception, stationnement et acheminement"),
    ],
    "med": [
        ("Military medical support", "Soutien médical militaire"),
        ("Tactical combat casualty care", "Sauvetage au combat"),
        ("Medical evacuation", "Évacuation sanitaire"),
        ("Medical planning", "Planification médicale"),
        ("Deployment health surveillance", "Surveillance sanitaire en opérations"),
        ("Mental health and stress management", "Santé mentale et gestion du stress"),
        ("Role 2 medical treatment facility", "Installation médicale de rôle 2"),
        ("Medical support in disasters", "Soutien médical en cas de catastrophe"),
        ("Military veterinary medicine", "Médecine vétérinaire militaire"),
        ("Preventive medicine", "Médecine préventive"),
    ],
    "cis": [
        (
            "Communications and information systems planning",
            "Planification des systèmes de communication et d'information",
        ),
        ("Information assurance", "Assurance de l'information"),
        ("Satellite communications", "Communications par satellite"),
        ("Tactical radio networks", "Réseaux radio tactiques"),
        ("Information management", "Gestion de l'information"),
        ("Electromagnetic spectrum management", "Gestion du spectre électromagnétique"),
        ("Deployable communications modules", "Modules de communication déployables"),
        ("Service management", "Gestion des services"),
        ("Crypto custodian", "Dépositaire de matériel cryptographique"),
        ("Data-centric security", "Sécurité centrée sur les données"),
    ],
}

# Qualifiers that follow the topic: English, French, weight, and the types they suit (None: all).
# The empty one is the most frequent.
LEARNING = {
    ActivityType.COURSE,
    ActivityType.SEMINAR,
    ActivityType.WORKSHOP,
    ActivityType.TRAINING_EVENT,
}
QUALIFIERS: list[tuple[str, str, int, set[str] | None]] = [
    ("", "", 10, None),
    (": introduction", " : introduction", 3, LEARNING),
    (": advanced", " : niveau avancé", 3, LEARNING),
    (" for senior officials", " pour hauts responsables", 2, LEARNING | {ActivityType.CONFERENCE}),
    (" for staff officers", " pour officiers d'état-major", 2, LEARNING),
    (" for non-commissioned officers", " pour sous-officiers", 1, LEARNING),
    (": train the trainer", " : formation de formateurs", 1, LEARNING),
    (", regional", ", niveau régional", 1, None),
    (" for practitioners", " pour praticiens", 2, LEARNING | {ActivityType.EXPERT_VISIT}),
    (": lessons learned", " : retour d'expérience", 1, None),
]

# The type as it ends a title, in English and French.
TYPE_SUFFIXES: dict[str, tuple[str, str]] = {
    ActivityType.COURSE: ("course", "cours"),
    ActivityType.EXERCISE: ("exercise", "exercice"),
    ActivityType.SEMINAR: ("seminar", "séminaire"),
    ActivityType.WORKSHOP: ("workshop", "atelier"),
    ActivityType.CONFERENCE: ("conference", "conférence"),
    ActivityType.EXPERT_VISIT: ("expert visit", "visite d'experts"),
    ActivityType.TRAINING_EVENT: ("training event", "activité de formation"),
    ActivityType.OTHER: ("staff talks", "entretiens d'état-major"),
}
TYPE_WEIGHTS: dict[str, int] = {
    ActivityType.COURSE: 40,
    ActivityType.EXERCISE: 8,
    ActivityType.SEMINAR: 14,
    ActivityType.WORKSHOP: 12,
    ActivityType.CONFERENCE: 6,
    ActivityType.EXPERT_VISIT: 8,
    ActivityType.TRAINING_EVENT: 9,
    ActivityType.OTHER: 3,
}
# Plausible lengths in days per type: exercises are long, expert visits short.
TYPE_LENGTHS: dict[str, tuple[int, int]] = {
    ActivityType.COURSE: (3, 15),
    ActivityType.EXERCISE: (7, 20),
    ActivityType.SEMINAR: (2, 5),
    ActivityType.WORKSHOP: (2, 5),
    ActivityType.CONFERENCE: (1, 3),
    ActivityType.EXPERT_VISIT: (1, 4),
    ActivityType.TRAINING_EVENT: (2, 10),
    ActivityType.OTHER: (1, 3),
}
# Delivery mode weights per type, in DeliveryMode order (in residence, mobile, online, blended).
MODE_WEIGHTS: dict[str, tuple[int, int, int, int]] = {
    ActivityType.COURSE: (50, 12, 15, 23),
    ActivityType.EXERCISE: (70, 25, 0, 5),
    ActivityType.SEMINAR: (60, 10, 20, 10),
    ActivityType.WORKSHOP: (55, 15, 15, 15),
    ActivityType.CONFERENCE: (70, 0, 15, 15),
    ActivityType.EXPERT_VISIT: (20, 80, 0, 0),
    ActivityType.TRAINING_EVENT: (40, 35, 10, 15),
    ActivityType.OTHER: (60, 20, 20, 0),
}
MODE_PHRASES: dict[str, tuple[str, str]] = {
    DeliveryMode.IN_RESIDENCE: ("in residence", "en résidence"),
    DeliveryMode.MOBILE_TEAM: ("by a mobile training team", "par une équipe mobile"),
    DeliveryMode.ONLINE: ("online", "en ligne"),
    DeliveryMode.BLENDED: ("online, then in residence", "en ligne, puis en résidence"),
}
AUDIENCES: list[tuple[str, str]] = [
    (
        "military and civilian participants from partner nations",
        "des participants militaires et civils des pays partenaires",
    ),
    (
        "officers and officials of partner nations",
        "des officiers et fonctionnaires des pays partenaires",
    ),
    (
        "mid-career officers and civil servants",
        "des officiers et fonctionnaires en milieu de carrière",
    ),
    ("senior officers and officials", "des officiers supérieurs et hauts fonctionnaires"),
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
            activity_type = rng.choices(types, weights=[TYPE_WEIGHTS[t] for t in types])[0]
            mode = rng.choices(modes, weights=MODE_WEIGHTS[activity_type])[0]
            kind = None
        provider = _choose_provider(rng, area_code, kind)

        suffix_en, suffix_fr = TYPE_SUFFIXES[activity_type]
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

        low, high = TYPE_LENGTHS[activity_type]
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


# --- Demo programmes -----------------------------------------------------------------------

PROGRAMME_SEED = 2025
# Users the demo programmes need besides ``pfp.demo.DEMO_USERS``: an officer for the partners
# the demo officer does not look after, and a second approver, so that no one approves what
# they drafted and the history shows more than one name.
PROGRAMME_DEMO_USERS: list[tuple[str, str | None, str, str]] = [
    ("officer2", Role.PROGRAMME_OFFICER, "Olga", "Officer-Two"),
    ("approver2", Role.APPROVER, "Arne", "Approver-Two"),
]
DEMO_OFFICER = "officer"
DEMO_APPROVERS = ["approver", "approver2"]

# What the demo shows of each partner's programme.
AGREED = "agreed"  # version 1 agreed, in force
DRAFT = "draft"  # being drafted
SUBMITTED = "submitted"  # awaiting approval
RETURNED = "returned"  # returned to its drafter with a comment
APPROVED = "approved"  # approved, awaiting the partner's agreement
REVISING = "revising"  # version 1 agreed, version 2 being drafted
REVISED = "revised"  # version 2 agreed, superseding version 1
NO_PROGRAMME = "none"

# The demo officer's partners (by code) show the steps an officer and an approver act on.
OFFICER_SCENARIOS = [REVISED, SUBMITTED, RETURNED, DRAFT]
# Among the other active partners, these once each, at places the seed chooses; all others have
# an agreed programme.
OTHER_SCENARIOS = [APPROVED, REVISING, DRAFT, DRAFT, DRAFT, NO_PROGRAMME, NO_PROGRAMME]
# Agreed programmes cover 2025 to 2028 or 2026 to 2029; those on their way start in 2027.
AGREED_START_YEARS = [2025, 2026]
NEXT_START_YEAR = 2027
# When the partner agreed, per first year: the months before the programme began.
AGREEMENT_WINDOWS = {
    2025: (datetime.date(2024, 11, 4), datetime.date(2025, 2, 28)),
    2026: (datetime.date(2025, 11, 3), datetime.date(2026, 2, 27)),
}
REVISION_AGREED_ON = datetime.date(2026, 6, 16)
MIN_PLANNED = 45
MAX_PLANNED = 135

SIGNATORIES = [
    "Minister of Defence",
    "Minister of Foreign Affairs",
    "Chief of Defence",
    "Ambassador, Head of Mission to NATO",
    "State Secretary for Defence",
]
RETURN_COMMENT = (
    "Please add a goal on building integrity and spread the language courses over the first "
    "two years: the staff college cannot send more than four students a year."
)
REVIEW_COMMENT = (
    "Complete and consistent with the Partnership Goals. I am checking the exercise dates with "
    "the training centres before approving."
)
NOTES = [
    "Two participants a year.",
    "Hosted in the partner's capital.",
    "Linked to the Partnership Goals review.",
    "Subject to Trust Fund financing.",
    "Instructors to be trained first, then courses run nationally.",
    "Mobile team visit agreed with the provider.",
]

# Strategic objectives a programme may pursue, with the partnership goals under each and the
# areas of the menu whose activities serve each goal.
OBJECTIVES: list[tuple[str, str, list[tuple[str, tuple[str, ...]]]]] = [
    (
        "Reform of the defence and security sector",
        "Defence institutions that are effective, accountable and affordable.",
        [
            ("Defence planning, budgeting and resource management", ("dpp",)),
            ("Professional defence institutions and personnel management", ("dr",)),
            ("Democratic control and civil-military relations", ("cmr", "bi")),
        ],
    ),
    (
        "Interoperability with Allied forces",
        "Forces able to train and operate with Allies in multinational missions.",
        [
            ("Units trained and evaluated to NATO standards", ("mil", "std")),
            ("Staff officers ready for multinational headquarters", ("et", "lang")),
            ("Logistic and medical support compatible with NATO", ("log", "med")),
        ],
    ),
    (
        "Resilience and crisis management",
        "A society and a state prepared for emergencies and crises.",
        [
            ("A national civil preparedness and disaster response system", ("cep",)),
            ("Crisis management procedures practised in exercises", ("cm",)),
        ],
    ),
    (
        "Cyber defence and secure communications",
        "Networks and information protected against attack and interoperable with NATO.",
        [
            ("A national cyber defence capability", ("cyber",)),
            ("Secure communications and information systems", ("cis",)),
        ],
    ),
    (
        "Countering terrorism and securing borders",
        "Capacity to prevent terrorism and control borders, arms and ammunition.",
        [
            ("Counter-terrorism capacity", ("ct",)),
            ("Integrated border management", ("bs",)),
            ("Safe management of small arms and ammunition", ("salw",)),
        ],
    ),
    (
        "Non-proliferation and arms control",
        "Commitments on weapons of mass destruction and arms control carried out.",
        [
            ("Export controls and CBRN defence", ("np",)),
        ],
    ),
    (
        "Integrity, good governance and women, peace and security",
        "Defence governed with integrity, with a gender perspective in all its work.",
        [
            ("Building integrity in defence", ("bi",)),
            ("Gender perspectives in planning, training and operations", ("wps",)),
        ],
    ),
    (
        "Public diplomacy and scientific cooperation",
        "Public understanding of the partnership, and science serving security.",
        [
            ("Public understanding of the partnership with NATO", ("pd",)),
            ("Scientific cooperation for security", ("sci",)),
        ],
    ),
]


@dataclass
class PlannedItem:
    code: str
    year: int
    priority: int
    notes: str = ""


@dataclass
class GoalPlan:
    title: str
    activities: list[PlannedItem] = field(default_factory=list)


@dataclass
class ObjectivePlan:
    title: str
    description: str
    goals: list[GoalPlan] = field(default_factory=list)


@dataclass
class RevisionPlan:
    """What version 2 changes: planned activities removed and added (by goal position)."""

    remove: list[tuple[str, int]]
    add: list[tuple[int, PlannedItem]]
    new_goal: tuple[int, GoalPlan]


@dataclass
class ProgrammePlan:
    partner_code: str
    scenario: str
    drafter: str
    approver: str
    title: str
    summary: str
    start_year: int
    objectives: list[ObjectivePlan]
    agreed_on: datetime.date | None = None
    signatory: str = ""
    revision: RevisionPlan | None = None
    # When a revised plan's version 2 is agreed (None: REVISION_AGREED_ON).
    revision_agreed_on: datetime.date | None = None
    # An earlier programme of a larger demo: its contents are written in bulk.
    earlier: bool = False

    @property
    def planned_count(self) -> int:
        return sum(len(g.activities) for o in self.objectives for g in o.goals)


@dataclass
class DemoPartner:
    code: str
    name: str
    drafter: str


@dataclass
class MenuEntry:
    code: str
    area: str
    first_offered: int


@dataclass
class DemoProgrammes:
    """What ``seed_demo_programmes`` created."""

    programmes: int = 0
    planned_activities: int = 0


def _assign_scenarios(rng: random.Random, partners: list[DemoPartner]) -> list[str]:
    """One scenario per partner: the demo officer's first, then the others'."""
    officer_scenarios = iter(OFFICER_SCENARIOS)
    scenarios = [
        next(officer_scenarios, AGREED) if p.drafter == DEMO_OFFICER else None for p in partners
    ]
    # What the demo officer's partners could not show, another partner shows.
    extra = [*officer_scenarios, *OTHER_SCENARIOS]
    others = [i for i, scenario in enumerate(scenarios) if scenario is None]
    for index, scenario in zip(
        rng.sample(others, min(len(extra), len(others))), extra, strict=False
    ):
        scenarios[index] = scenario
    return [scenario or AGREED for scenario in scenarios]


def _pick_activities(
    rng: random.Random,
    pool: list[MenuEntry],
    count: int,
    start_year: int,
    taken: set[tuple[str, int]],
) -> list[PlannedItem]:
    """``count`` activities of ``pool`` in programme years they were offered, none twice a year."""
    items: list[PlannedItem] = []
    for _attempt in range(count * 20):
        if len(items) == count or not pool:
            break
        entry = rng.choice(pool)
        years = [
            y for y in range(1, PROGRAMME_YEARS + 1) if start_year + y - 1 >= entry.first_offered
        ]
        if not years:
            continue
        year = rng.choice(years)
        if (entry.code, year) in taken:
            continue
        taken.add((entry.code, year))
        priority = rng.choices(Priority.values, weights=[25, 55, 20])[0]
        notes = rng.choice(NOTES) if rng.random() < 0.08 else ""
        items.append(PlannedItem(entry.code, year, priority, notes))
    return items


def _plan_contents(
    rng: random.Random, by_area: dict[str, list[MenuEntry]], start_year: int
) -> tuple[list[ObjectivePlan], set[tuple[str, int]]]:
    chosen = sorted(rng.sample(range(len(OBJECTIVES)), rng.randint(3, 5)))
    everything = [entry for entries in by_area.values() for entry in entries]
    objectives = []
    goal_pools = []
    for index in chosen:
        title, description, goals = OBJECTIVES[index]
        objective = ObjectivePlan(title, description)
        for goal_title, areas in goals:
            objective.goals.append(GoalPlan(goal_title))
            pool = [entry for area in areas for entry in by_area.get(area, [])]
            # A menu without the goal's areas (a small test menu) lends it any activity.
            goal_pools.append((objective.goals[-1], pool or everything))
        objectives.append(objective)
    # Every goal is served by a few activities; the rest go where the partner's interest lies.
    total = rng.randint(MIN_PLANNED, MAX_PLANNED)
    weights = [rng.randint(1, 4) for _ in goal_pools]
    counts = [2] * len(goal_pools)
    for index in rng.choices(range(len(goal_pools)), weights=weights, k=total - sum(counts)):
        counts[index] += 1
    taken: set[tuple[str, int]] = set()
    for (goal, pool), count in zip(goal_pools, counts, strict=True):
        goal.activities = _pick_activities(rng, pool, count, start_year, taken)
    return objectives, taken


def _agreement_date(rng: random.Random, start_year: int) -> datetime.date:
    first, last = AGREEMENT_WINDOWS[start_year]
    day = first + datetime.timedelta(days=rng.randint(0, (last - first).days))
    # Agreements are never recorded in the future.
    return min(day, timezone.localdate())


def plan_demo_programmes(
    partners: list[DemoPartner], menu: list[MenuEntry], *, seed: int = PROGRAMME_SEED
) -> list[ProgrammePlan]:
    """The demo programmes of ``partners`` (in code order), reproducibly; nothing is written."""
    rng = random.Random(seed)  # noqa: S311 -- demo data must be reproducible, not secret
    by_area: dict[str, list[MenuEntry]] = {}
    for entry in menu:
        by_area.setdefault(entry.area, []).append(entry)
    plans = []
    for partner, scenario in zip(partners, _assign_scenarios(rng, partners), strict=True):
        if scenario == NO_PROGRAMME:
            continue
        if scenario in (AGREED, REVISING):
            start_year = rng.choice(AGREED_START_YEARS)
        elif scenario == REVISED:
            start_year = AGREED_START_YEARS[0]
        else:
            start_year = NEXT_START_YEAR
        objectives, taken = _plan_contents(rng, by_area, start_year)
        plan = ProgrammePlan(
            partner_code=partner.code,
            scenario=scenario,
            drafter=partner.drafter,
            approver=rng.choice(DEMO_APPROVERS),
            title=f"{partner.name}: Individually Tailored Partnership Programme",
            summary=(
                f"The cooperation NATO and {partner.name} agreed to pursue for four years: "
                + "; ".join(o.title.lower() for o in objectives)
                + "."
            ),
            start_year=start_year,
            objectives=objectives,
        )
        if scenario in (AGREED, REVISING, REVISED):
            plan.agreed_on = _agreement_date(rng, start_year)
            plan.signatory = rng.choice(SIGNATORIES)
        if scenario in (REVISING, REVISED):
            plan.revision = _plan_revision(rng, plan, by_area, taken)
        plans.append(plan)
    return plans


def _plan_revision(
    rng: random.Random,
    plan: ProgrammePlan,
    by_area: dict[str, list[MenuEntry]],
    taken: set[tuple[str, int]],
) -> RevisionPlan:
    goals = [goal for objective in plan.objectives for goal in objective.goals]
    # Remove one activity from each of three goals that keep at least two.
    removable = [g for g in goals if len(g.activities) > 2]
    remove = [
        (g.activities[-1].code, g.activities[-1].year)
        for g in rng.sample(removable, min(3, len(removable)))
    ]
    pool = [e for entries in by_area.values() for e in entries]
    add = []
    for item in _pick_activities(rng, pool, 4, plan.start_year, taken):
        add.append((rng.randrange(len(goals)), item))
    new_goal = GoalPlan(
        "Building integrity in defence procurement",
        _pick_activities(rng, by_area.get("bi", pool), 2, plan.start_year, taken),
    )
    return RevisionPlan(remove=remove, add=add, new_goal=(0, new_goal))


# In a larger demo, the share of earlier programmes revised once.
EARLIER_REVISED_SHARE = 0.25


def plan_earlier_programmes(
    plans: list[ProgrammePlan],
    menu: list[MenuEntry],
    *,
    partners: dict[str, Partner],
    scale: int,
    seed: int = PROGRAMME_SEED,
) -> list[ProgrammePlan]:
    """For a demo at ``scale`` N: the programmes of the N - 1 four-year periods before each
    planned one, agreed in their time, one in four revised once; nothing is written.

    A period gets no programme when the partner (from ``partners``, by code, with its status
    events) was not an active partner as it began, or when the demo menu offered too little
    then to serve every goal. Each earlier programme has a random generator of its own (seed,
    partner, period), so the scale-1 plans are the same whatever the scale.
    """
    by_area: dict[str, list[MenuEntry]] = {}
    for entry in menu:
        by_area.setdefault(entry.area, []).append(entry)
    earlier = []
    for plan in plans:
        partner = partners[plan.partner_code]
        for step in range(1, scale):
            start_year = plan.start_year - PROGRAMME_YEARS * step
            if partner.status_on(datetime.date(start_year - 1, 11, 1)) != PartnerStatus.ACTIVE:
                continue
            # Demo data must be reproducible, not secret.
            rng = random.Random(f"{seed}:{plan.partner_code}:{start_year}")  # noqa: S311
            objectives, taken = _plan_contents(rng, by_area, start_year)
            if not all(goal.activities for objective in objectives for goal in objective.goals):
                continue
            revised = rng.random() < EARLIER_REVISED_SHARE
            earlier_plan = ProgrammePlan(
                partner_code=plan.partner_code,
                scenario=AGREED,
                drafter=plan.drafter,
                approver=rng.choice(DEMO_APPROVERS),
                title=plan.title,
                summary=(
                    f"The cooperation NATO and {partner.name} agreed to pursue for four years: "
                    + "; ".join(o.title.lower() for o in objectives)
                    + "."
                ),
                start_year=start_year,
                objectives=objectives,
                agreed_on=datetime.date(start_year - 1, 11, 1)
                + datetime.timedelta(days=rng.randint(0, 119)),
                signatory=rng.choice(SIGNATORIES),
                earlier=True,
            )
            revision = _plan_revision(rng, earlier_plan, by_area, taken) if revised else None
            # A revision whose new goal found nothing on the menu of its time is not made.
            if revision and revision.new_goal[1].activities:
                earlier_plan.scenario = REVISED
                earlier_plan.revision = revision
                earlier_plan.revision_agreed_on = datetime.date(
                    start_year + 1, 5, 2
                ) + datetime.timedelta(days=rng.randint(0, 90))
            earlier.append(earlier_plan)
    return earlier


def seed_demo_programme_users() -> list[DemoUser]:
    """The users the demo programmes need, when missing, with their new passwords: the second
    officer looks after every active partner that has no officer yet."""
    unassigned = (
        Partner.objects.with_status()
        .filter(status=PartnerStatus.ACTIVE, officers__isnull=True)
        .order_by("code")
        .values_list("code", flat=True)
    )
    return seed_demo_users(PROGRAMME_DEMO_USERS, officer_partners=list(unassigned))


def _demo_partners(limit: int | None = None) -> list[DemoPartner]:
    """Active partners in code order (the first ``limit`` of them, when given), each with the
    demo officer who drafts its programmes."""
    partners = []
    active = Partner.objects.with_status().filter(status=PartnerStatus.ACTIVE)
    for partner in active.prefetch_related("officers").order_by("code"):
        officers = sorted(officer.username for officer in partner.officers.all())
        if officers:
            drafter = DEMO_OFFICER if DEMO_OFFICER in officers else officers[0]
            partners.append(DemoPartner(partner.code, partner.name, drafter))
    return partners[:limit]


def _base_menu_codes(size: int) -> set[str]:
    """The codes of the first ``size`` demo activities (those of the scale-1 demo menu)."""
    areas = set(Area.objects.filter(code__in=TOPICS).values_list("code", flat=True))
    rows = generate_demo_rows(
        seed=DEFAULT_SEED, size=size, area_codes=[code for code in TOPICS if code in areas]
    )
    return {row["code"] for row in rows}


def _demo_menu() -> list[MenuEntry]:
    return [
        MenuEntry(code, area, first_offered)
        for code, area, first_offered in Activity.objects.active()
        .order_by("code")
        .values_list("code", "area__code", "first_offered")
    ]


def seed_demo_programmes(
    *,
    seed: int = PROGRAMME_SEED,
    scale: int = 1,
    partners: int | None = None,
    menu_size: int = DEFAULT_SIZE,
) -> DemoProgrammes:
    """Give most active partners a programme, built through ``programmes.workflow`` by the demo
    users; partners with a programme already are left alone.

    ``scale`` N > 1 gives each of them N - 1 earlier programmes too (``plan_earlier_programmes``),
    chosen from the whole (larger) menu, while their current programmes are chosen from the
    demo menu of ``menu_size`` activities that the larger one starts with, so that they are the
    same as at scale 1 and a benchmark compares like with like.
    ``partners`` limits the demo to the first active partners by code (for quick tests).
    Creates the demo users it needs when they are missing (``seed_demo`` creates them first, so
    that their passwords are printed).
    """
    seed_demo_users()
    seed_demo_programme_users()
    users = {user.username: user for user in get_user_model().objects.all()}
    menu = _demo_menu()
    result = DemoProgrammes()
    if not menu:
        return result
    current_menu = menu
    if scale > 1:
        base = _base_menu_codes(menu_size)
        current_menu = [entry for entry in menu if entry.code in base] or menu
    plans = plan_demo_programmes(_demo_partners(partners), current_menu, seed=seed)
    partners = Partner.objects.prefetch_related("status_events").in_bulk(
        [plan.partner_code for plan in plans], field_name="code"
    )
    if scale > 1:
        plans += plan_earlier_programmes(plans, menu, partners=partners, scale=scale, seed=seed)
    with_programme = set(
        Programme.objects.filter(partner__in=partners.values()).values_list(
            "partner__code", flat=True
        )
    )
    activities = Activity.objects.in_bulk([entry.code for entry in menu], field_name="code")
    clock = DemoClock(today=timezone.localdate())
    # The demo's made-up history notifies nobody: no e-mail leaves (or floods the console).
    with (
        override_settings(
            MAILERS={"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}
        ),
        transaction.atomic(),
        mock.patch.object(timezone, "now", clock.now),
    ):
        for plan in plans:
            if plan.partner_code in with_programme:
                continue
            _build(
                plan,
                partner=partners[plan.partner_code],
                users=users,
                activities=activities,
                clock=clock,
            )
    created = Programme.objects.filter(
        partner__code__in=[p.partner_code for p in plans if p.partner_code not in with_programme]
    )
    result.programmes = created.count()
    result.planned_activities = PlannedActivity.objects.filter(programme__in=created).count()
    return result


class DemoClock:
    """The clock ``timezone.now`` reads while the demo is seeded.

    The workflow dates every step and history row with ``timezone.now()``; seeding a made-up
    history at one moment would show programmes approved after the partner agreed to them. This
    clock lets each scenario happen on plausible days (drafted, submitted, approved, agreed, in
    that order) and moves on by a minute at each reading so that steps keep their order.
    """

    def __init__(self, *, today: datetime.date):
        self.today = today
        self._now = self._at(today)

    @staticmethod
    def _at(day: datetime.date, hour: int = 9) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))

    def now(self) -> datetime.datetime:
        self._now += datetime.timedelta(minutes=1)
        return self._now

    def on(self, day: datetime.date, hour: int = 9) -> None:
        """Move the clock to ``day`` (never beyond today)."""
        self._now = self._at(min(day, self.today), hour)

    def days_ago(self, days: int) -> None:
        self.on(self.today - datetime.timedelta(days=days))


def _build(
    plan: ProgrammePlan, *, partner: Partner, users: dict, activities: dict, clock: DemoClock
) -> None:
    """Draft the programme of ``plan`` and walk it through the workflow to its scenario, each
    step on a plausible day (``clock``)."""
    drafter = users[plan.drafter]
    approver = users[plan.approver]
    agreed_on = plan.agreed_on
    days = datetime.timedelta
    if agreed_on:
        clock.on(agreed_on - days(100))
    else:
        clock.days_ago({DRAFT: 20, SUBMITTED: 40, RETURNED: 45, APPROVED: 60}[plan.scenario])
    programme = workflow.create_programme(
        actor=drafter,
        partner=partner,
        title=plan.title,
        start_year=plan.start_year,
        summary=plan.summary,
    )
    if plan.earlier:
        _bulk_contents(
            programme, plan.objectives, actor=drafter, activities=activities, clock=clock
        )
    else:
        _draft_contents(programme, plan.objectives, actor=drafter, activities=activities)
    if plan.scenario == DRAFT:
        return
    if agreed_on:
        clock.on(agreed_on - days(45))
    else:
        clock.days_ago({SUBMITTED: 9, RETURNED: 15, APPROVED: 30}[plan.scenario])
    workflow.submit(actor=drafter, programme=programme)
    if plan.scenario == SUBMITTED:
        clock.days_ago(3)
        workflow.add_comment(
            actor=approver, programme=programme, text=REVIEW_COMMENT, kind=Comment.Kind.REVIEW
        )
        return
    if plan.scenario == RETURNED:
        clock.days_ago(6)
        workflow.return_programme(actor=approver, programme=programme, comment=RETURN_COMMENT)
        return
    if agreed_on:
        clock.on(agreed_on - days(20))
    else:
        clock.days_ago(8)
    workflow.approve(actor=approver, programme=programme)
    if plan.scenario == APPROVED:
        return
    clock.on(agreed_on, hour=11)
    workflow.record_agreement(
        actor=approver, programme=programme, agreed_on=agreed_on, signatory=plan.signatory
    )
    if plan.revision is None:
        return
    revision_agreed_on = min(plan.revision_agreed_on or REVISION_AGREED_ON, clock.today)
    if plan.scenario == REVISING:
        clock.days_ago(12)
    else:
        clock.on(revision_agreed_on - days(80))
    revision = workflow.revise(actor=drafter, programme=programme)
    _apply_revision(revision, plan.revision, actor=drafter, activities=activities)
    if plan.scenario == REVISING:
        return
    clock.on(revision_agreed_on - days(35))
    workflow.submit(actor=drafter, programme=revision)
    # The other approver approves the revision: a second name in the history.
    other = users[next(name for name in DEMO_APPROVERS if name != plan.approver)]
    clock.on(revision_agreed_on - days(15))
    workflow.approve(actor=other, programme=revision)
    clock.on(revision_agreed_on, hour=11)
    workflow.record_agreement(
        actor=other,
        programme=revision,
        agreed_on=revision_agreed_on,
        signatory=plan.signatory,
    )


def _draft_contents(programme, objectives: list[ObjectivePlan], *, actor, activities) -> None:
    for objective_plan in objectives:
        objective = workflow.add_objective(
            actor=actor,
            programme=programme,
            title=objective_plan.title,
            description=objective_plan.description,
        )
        for goal_plan in objective_plan.goals:
            goal = workflow.add_goal(actor=actor, objective=objective, title=goal_plan.title)
            _plan_items(programme, goal, goal_plan.activities, actor=actor, activities=activities)


def _bulk_contents(
    programme, objectives: list[ObjectivePlan], *, actor, activities, clock: DemoClock
) -> None:
    """The contents of an earlier programme in three bulk inserts, each row with its creation
    history row in the drafter's name (what ``_draft_contents`` does one workflow call at a
    time). The database constraints check every row; ``workflow.submit`` then checks that the
    programme is complete, as for any other."""
    history = {
        "default_user": actor,
        "default_change_reason": workflow.Action.EDIT,
        "default_date": clock.now(),
    }
    new_objectives = bulk_create_with_history(
        [
            Objective(
                programme=programme, order=order, title=plan.title, description=plan.description
            )
            for order, plan in enumerate(objectives, start=1)
        ],
        Objective,
        **history,
    )
    goal_plans = []
    goals = []
    for objective, objective_plan in zip(new_objectives, objectives, strict=True):
        for order, goal_plan in enumerate(objective_plan.goals, start=1):
            goal_plans.append(goal_plan)
            goals.append(Goal(objective=objective, order=order, title=goal_plan.title))
    new_goals = bulk_create_with_history(goals, Goal, **history)
    bulk_create_with_history(
        [
            PlannedActivity(
                programme=programme,
                activity=activities[item.code],
                year=item.year,
                goal=goal,
                priority=item.priority,
                notes=item.notes,
            )
            for goal, goal_plan in zip(new_goals, goal_plans, strict=True)
            for item in goal_plan.activities
        ],
        PlannedActivity,
        batch_size=500,
        **history,
    )


def _plan_items(programme, goal, items: list[PlannedItem], *, actor, activities) -> None:
    for item in items:
        workflow.plan_activity(
            actor=actor,
            programme=programme,
            activity=activities[item.code],
            year=item.year,
            goal=goal,
            priority=item.priority,
            notes=item.notes,
        )


def _apply_revision(revision: Programme, changes: RevisionPlan, *, actor, activities) -> None:
    planned = {
        (p.activity.code, p.year): p for p in revision.planned_activities.select_related("activity")
    }
    for key in changes.remove:
        workflow.remove_planned_activity(actor=actor, planned=planned[key])
    goals = list(
        Goal.objects.filter(objective__programme=revision).order_by(
            "objective__order", "order", "pk"
        )
    )
    for goal_index, item in changes.add:
        _plan_items(revision, goals[goal_index], [item], actor=actor, activities=activities)
    objective_index, goal_plan = changes.new_goal
    objective = revision.objectives.order_by("order", "pk")[objective_index]
    goal = workflow.add_goal(actor=actor, objective=objective, title=goal_plan.title)
    _plan_items(revision, goal, goal_plan.activities, actor=actor, activities=activities)
