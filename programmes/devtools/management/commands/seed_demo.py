from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from partners.loading import load_partners
from partners.models import Partner
from programmes.devtools.demo.delivery import seed_demo_delivery
from programmes.devtools.demo.menu import DEFAULT_SIZE, seed_demo_menu
from programmes.devtools.demo.partner_side import (
    seed_demo_partner_side,
    seed_demo_representatives,
)
from programmes.devtools.demo.programmes import seed_demo_programme_users, seed_demo_programmes
from programmes.devtools.second_factor import enrol_demo_users
from programmes.devtools.users import (
    DemoUser,
    demo_usernames,
    reset_demo_passwords,
    seed_demo_users,
)

# What a reader types to give the demo users new passwords (and see them).
RESET_COMMAND = ".venv/bin/python manage.py seed_demo --reset-passwords"


class Command(BaseCommand):
    help = (
        "Create demo data: users (passwords printed once, last, in a framed block), a demo "
        "menu and the partners' programmes, after loading the partner register when it is "
        "empty. --scale N multiplies it, for benchmarks. --reset-passwords gives the demo "
        "users new passwords and prints them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help=(
                "Do nothing when the database already has users (but say how to get the demo "
                "users' passwords)."
            ),
        )
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help=(
                "Only give the demo users that exist new random passwords, and print them; "
                "no other account is touched and no data is added."
            ),
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

    def handle(
        self,
        *args,
        if_empty,
        reset_passwords=False,
        scale=1,
        partners=None,
        menu_size=None,
        **options,
    ):
        if scale < 1 or (partners is not None and partners < 1) or (menu_size or 1) < 1:
            raise CommandError(_("--scale, --partners and --menu-size must be at least 1."))
        if reset_passwords:
            self.reset_passwords()
            return
        if if_empty and get_user_model().objects.exists():
            self.stdout.write(_("Users exist already: no demo data added."))
            self.print_how_to_reset()
            return
        self.load_register_if_empty()
        users = enrol_demo_users(seed_demo_users() + seed_demo_programme_users())
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
        # The partners' representatives, printed with the other users; a refusal and comments.
        users += seed_demo_representatives()
        partner_side = seed_demo_partner_side()
        self.stdout.write(
            _("The partners' side: %(declined)d version declined, %(comments)d comments.")
            % partner_side
        )
        # Last, so that it is what the reader sees above the server's first lines (make run).
        if users:
            self.print_users(
                _(
                    "Demo users: sign in with one of these (the passwords are shown only this once)."
                ),
                users,
            )
        else:
            self.print_how_to_reset()

    def reset_passwords(self) -> None:
        users = enrol_demo_users(reset_demo_passwords())
        if not users:
            self.stdout.write(_("There is no demo user in this database: nothing changed."))
            return
        self.print_users(
            _("Demo users: their new passwords (shown only this once)."),
            users,
        )

    def print_users(self, title: str, users: list[DemoUser]) -> None:
        """The demo users and their passwords, one a line, in the framed block."""
        key = _("authenticator app key")
        self.print_box(
            [
                title,
                None,
                *(
                    f"  {u.username:<12} {u.password:<20} {u.role}"
                    + (f"  {key}: {u.secret}" if u.secret else "")
                    for u in users
                ),
                None,
                _("New passwords for them: %(command)s") % {"command": RESET_COMMAND},
            ]
        )

    def print_how_to_reset(self) -> None:
        if not get_user_model().objects.filter(username__in=demo_usernames()).exists():
            return
        self.print_box(
            [
                _("The demo users exist already. Their passwords are not kept in clear."),
                _("New passwords for them, shown once: %(command)s") % {"command": RESET_COMMAND},
            ]
        )

    def print_box(self, lines: list[str | None]) -> None:
        """``lines`` between two double rules (``None``: a single rule), in colour on a
        terminal: a block that stands out from the output above it. No line is blank and only
        the users' rows are indented, so that a reader (or a test) finds the rows by their
        indent."""
        width = max(len(line) for line in lines if line)
        for line in ["=" * width, *lines, "=" * width]:
            self.stdout.write(self.style.SUCCESS("-" * width if line is None else line))

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
