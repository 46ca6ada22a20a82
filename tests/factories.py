"""factory-boy factories with traits for the states tests need."""

import datetime

import factory
from django.contrib.auth.models import Group

from partners.models import EventKind, Framework, Partner, StatusEvent
from pfp.models import User
from pfp.roles import Role
from programmes.models import (
    Activity,
    ActivityType,
    Area,
    DeliveryMode,
    Provider,
    ProviderKind,
)

TEST_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password(TEST_PASSWORD)

    class Params:
        administrator = factory.Trait(is_staff=True, is_superuser=True)
        inactive = factory.Trait(is_active=False)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))


class PartnerFactory(factory.django.DjangoModelFactory):
    """A partner; by default an active one that joined on 1 January 2000."""

    class Meta:
        model = Partner
        django_get_or_create = ["code"]
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Partnerland {n}")
    code = factory.Sequence(lambda n: f"{chr(65 + (n // 26) % 26)}{chr(65 + n % 26)}")
    framework = Framework.EAPC_PFP
    joined_on = datetime.date(2000, 1, 1)

    class Params:
        suspended = factory.Trait(events=[(EventKind.SUSPENDED, datetime.date(2010, 1, 1))])
        nato_member = factory.Trait(
            events=[(EventKind.BECAME_NATO_MEMBER, datetime.date(2010, 1, 1))]
        )
        never_joined = factory.Trait(joined_on=None)

    @classmethod
    def _create(cls, model_class, *args, joined_on=None, events=(), **kwargs):
        partner = super()._create(model_class, *args, **kwargs)
        if joined_on is not None and not partner.status_events.exists():
            StatusEvent.objects.create(partner=partner, kind=EventKind.JOINED, on=joined_on)
            for kind, on in events:
                StatusEvent.objects.create(partner=partner, kind=kind, on=on)
        return partner


ROLE_FIXTURES = {
    "viewer": Role.VIEWER,
    "officer": Role.PROGRAMME_OFFICER,
    "approver": Role.APPROVER,
    "menu_manager": Role.MENU_MANAGER,
}


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Training Centre {n}")
    kind = ProviderKind.TRAINING_CENTRE


class ActivityFactory(factory.django.DjangoModelFactory):
    """An active menu activity in an area of the starting set; trait ``retired``."""

    class Meta:
        model = Activity
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"TST-{n:04d}")
    title_en = factory.Sequence(lambda n: f"Test activity {n} — course")
    title_fr = factory.Sequence(lambda n: f"Activité d'essai {n} — cours")
    description_en = "A test activity."
    description_fr = "Une activité d'essai."
    area = factory.LazyFunction(lambda: Area.objects.order_by("order").first())
    type = ActivityType.COURSE
    provider = factory.SubFactory(ProviderFactory)
    delivery_mode = DeliveryMode.IN_RESIDENCE
    length_days = 5
    first_offered = 2020

    class Params:
        retired = factory.Trait(retired_in=2024)
