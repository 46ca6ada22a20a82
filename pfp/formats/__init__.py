"""The project's own date and number formats, by language (``FORMAT_MODULE_PATH``).

Only English has one: Brussels reads day-month-year and a 24-hour clock, which Django's ``en``
formats (American) do not give. A module here overrides only the names it defines; the rest, and
every other language (French keeps Django's ``fr``), come from Django. Overriding the formats
rather than switching the language to ``en-gb`` keeps ``LANGUAGE_CODE``, ``LANGUAGES``, the
catalogue's folder and the pages' ``lang="en"`` as they are.
"""
