"""English as written in Brussels: day-month-year, a 24-hour clock, the week from Monday.

One style per kind of place: tables and lists use the short formats ("05/12/2026",
"05/12/2026 14:30"); headings, the facts beside them and history use the long ones
("5 Dec 2026", "5 Dec 2026, 14:30"). Never month first, never "a.m.".
"""

DATE_FORMAT = "j M Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j M Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday

# What forms accept. ISO first: date inputs (type="date") send it, and a widget shows its value
# in the first format. No month-first pattern, so "05/12/2026" can only mean 5 December.
DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2026-12-05
    "%d/%m/%Y",  # 05/12/2026
    "%d/%m/%y",  # 05/12/26
    "%d %b %Y",  # 5 Dec 2026
    "%d %B %Y",  # 5 December 2026
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",  # 2026-12-05 14:30:59
    "%Y-%m-%d %H:%M:%S.%f",  # 2026-12-05 14:30:59.000200
    "%Y-%m-%d %H:%M",  # 2026-12-05 14:30
    "%d/%m/%Y %H:%M:%S",  # 05/12/2026 14:30:59
    "%d/%m/%Y %H:%M",  # 05/12/2026 14:30
]
TIME_INPUT_FORMATS = ["%H:%M:%S", "%H:%M:%S.%f", "%H:%M"]
