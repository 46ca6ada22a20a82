"""URL converters: a URL whose parts cannot be valid is a 404 before any query runs."""


class PatternConverter:
    """Matches ``regex`` and passes the text through unchanged."""

    regex = ""

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class IsoCodeConverter(PatternConverter):
    """A partner's ISO 3166-1 alpha-2 code, in either case."""

    regex = "[A-Za-z]{2}"

    def to_python(self, value):
        return value.upper()


class ActivityCodeConverter(PatternConverter):
    """An activity code (programmes.models.ACTIVITY_CODE_PATTERN)."""

    regex = "[A-Z]{2,6}-[0-9]{3,6}"


class ExportFormatConverter(PatternConverter):
    regex = "csv|xlsx"


class ReportFormatConverter(PatternConverter):
    """The downloadable forms of a report."""

    regex = "pdf|csv|xlsx"


class ReportSlugConverter(PatternConverter):
    """The name of a report across partners (programmes.reports.cross_partner.REPORTS)."""

    regex = "[a-z][a-z-]{1,40}"
