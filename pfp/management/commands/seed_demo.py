from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pfp.demo import seed_demo_users
from programmes.demo import seed_demo_menu, seed_demo_programme_users, seed_demo_programmes


class Command(BaseCommand):
    help = (
        "Create demo data: users (passwords printed once), a demo menu and the partners' "
        "programmes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has users.",
        )

    def handle(self, *args, if_empty, **options):
        if if_empty and get_user_model().objects.exists():
            self.stdout.write(_("Users exist already: no demo data added."))
            return
        users = seed_demo_users() + seed_demo_programme_users()
        if users:
            self.stdout.write(_("Demo users (the passwords are shown only this once):"))
            for user in users:
                self.stdout.write(f"  {user.username:<12} {user.password:<20} {user.role}")
        else:
            self.stdout.write(_("The demo users exist already."))
        created = seed_demo_menu()
        self.stdout.write(
            ngettext(
                "Menu: %(count)d activity created.",
                "Menu: %(count)d activities created.",
                created,
            )
            % {"count": created}
        )
        programmes = seed_demo_programmes()
        self.stdout.write(
            ngettext(
                "Programmes: %(count)d created, with %(planned)d planned activities.",
                "Programmes: %(count)d created, with %(planned)d planned activities.",
                programmes.programmes,
            )
            % {"count": programmes.programmes, "planned": programmes.planned_activities}
        )
