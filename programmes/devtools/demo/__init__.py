"""A realistic, deterministic demo: the menu (providers and about 1,400 activities) and the
partners' programmes.

The same seed always gives the same demo, and a second run adds nothing: activities whose code
exists already are skipped, and so are partners that have a programme already. What the demo
says is data (``programmes/devtools/data``); these modules build it:

- ``menu``: the providers and the menu's activities;
- ``plans``: what each partner's programme will be, decided without writing anything;
- ``programmes``: the programmes built from the plans through ``programmes.workflow``;
- ``clock``: the days in the demo's past on which their steps are dated.

Called by the ``seed_demo`` management command, by ``bench`` and by tests; nothing else should
import it.
"""
