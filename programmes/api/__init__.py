"""The API, ``/api/v1/``: the partner register, the menu, programmes with their contents and
comments, their delivery (events, annual reviews, the figures of a year), for other systems.

A layer above the views (it reads partners, programmes, delivery and the reports' figures; nothing
imports it but the root URLconf, by name). It has no rules of its own: every queryset starts from
the visibility functions (``visible_partners``, ``visible_programmes``, ``visible_events``,
``visible_reviews``, ``visible_comments``), every refusal is a permission rule's ``Decision``, the
filters are the pages' filtersets, and the one write (an event by its external reference,
``writes``) goes through ``programmes.delivery.actions`` with the import's checks.
Authentication and throttling are ``pfp.tokens``'.

Modules: ``serializers`` (the shapes, read-only), ``views``, ``filters`` (delivery's, which has
no page filterset), ``writes``, ``schema`` (OpenAPI: the error answers of every operation),
``errors`` (one shape for every error), ``pagination``, ``urls``.
"""
