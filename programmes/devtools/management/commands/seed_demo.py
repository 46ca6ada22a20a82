from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from partners.loading import load_partners
from partners.models import Partner
from programmes.devtools.demo.delivery import seed_demo_delivery
from programmes.devtools.demo.menu import DEFAULT_SIZE, seed_demo_menu
from programmes.devtools.demo.programmes import seed_demo_programme_users, seed_demo_programmes
from programmes.devtools.users import seed_demo_users


class Command(BaseCommand):
    help = (
        "Create demo data: users (passwords printed once), a demo menu and the partners' "
        "programmes, after loading the partner register when it is empty. --scale N "
        "multiplies it, for benchmarks."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has users.",
        )
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help=(
                "Multiply the demo by N: N times the menu activities, and N - 1 earlier "
                "four-year programmes for each partner with a programme (default 1)."
            ),
        )
        parser.add_argument(
            "--partners",
            type=int,
            help="Only the first N active partners by code get programmes (for quick tests).",
        )
        parser.add_argument(
            "--menu-size",
            type=int,
            help=(
                f"Activities of the scale-1 menu (default {DEFAULT_SIZE}); the menu has scale "
                "times as many."
            ),
        )

    def handle(self, *args, if_empty, scale=1, partners=None, menu_size=None, **options):
        if scale < 1 or (partners is not None and partners < 1) or (menu_size or 1) < 1:
            raise CommandError(_("--scale, --partners and --menu-size must be at least 1."))
        if if_empty and get_user_model().objects.exists():
            self.stdout.write(_("Users exist already: no demo data added."))
            return
        self.load_register_if_empty()
        users = seed_demo_users() + seed_demo_programme_users()
        if users:
            self.stdout.write(_("Demo users (the passwords are shown only this once):"))
            for user in users:
                self.stdout.write(f"  {user.username:<12} {user.password:<20} {user.role}")
        else:
            self.stdout.write(_("The demo users exist already."))
        created = seed_demo_menu(size=(menu_size or DEFAULT_SIZE) * scale)
        self.stdout.write(
            ngettext(
                "Menu: %(count)d activity created.",
                "Menu: %(count)d activities created.",
                created,
            )
            % {"count": created}
        )
        # Only what differs from the usual demo is passed on.
        larger = {"scale": scale} if scale != 1 else {}
        if partners:
            larger["partners"] = partners
        if menu_size:
            larger["menu_size"] = menu_size
        programmes = seed_demo_programmes(**larger)
        self.stdout.write(
            ngettext(
                "Programmes: %(count)d created, with %(planned)d planned activities.",
                "Programmes: %(count)d created, with %(planned)d planned activities.",
                programmes.programmes,
            )
            % {"count": programmes.programmes, "planned": programmes.planned_activities}
        )
        delivery = seed_demo_delivery()
        self.stdout.write(
            _("Delivery: events recorded: %(events)d; annual reviews: %(reviews)d.")
            % {"events": delivery.events, "reviews": delivery.reviews}
        )

    def load_register_if_empty(self) -> None:
        """The demo's officers, programmes and reports are the partners': with no partner
        registered it would make none. An empty register is loaded from the project's data file
        (what ``manage.py load_partners`` does); one with partners is left as it is."""
        if Partner.objects.exists():
            return
        try:
            loaded = load_partners()
        except ValidationError as error:
            raise CommandError(
                _("The partner register is empty and could not be loaded: %(errors)s")
                % {"errors": "; ".join(error.messages)}
            ) from error
        self.stdout.write(
            ngettext(
                "The partner register was empty: %(count)d partner loaded from the project's "
                "data file (as manage.py load_partners does).",
                "The partner register was empty: %(count)d partners loaded from the project's "
                "data file (as manage.py load_partners does).",
                loaded.partners_created,
            )
            % {"count": loaded.partners_created}
        )
