"""Stubs of dbt's cross-database macros for sqlfluff's jinja templater (lint only; never executed)."""


def type_int():
    return "int64"


def type_float():
    return "float64"


def type_string():
    return "string"


def type_timestamp():
    return "timestamp"


def type_numeric():
    return "numeric"


def type_boolean():
    return "bool"


def dateadd(datepart, interval, from_date_or_timestamp):
    return f"date_add({from_date_or_timestamp}, interval {interval} {datepart})"


def datediff(first_date, second_date, datepart):
    return f"date_diff({second_date}, {first_date}, {datepart})"


def safe_cast(field, type_):
    return f"safe_cast({field} as {type_})"


def date_trunc(datepart, date):
    return f"date_trunc({date}, {datepart})"


def hash(field):  # noqa: A001 - mirrors dbt.hash
    return f"to_hex(md5(cast({field} as string)))"


def concat(fields):
    return f"concat({', '.join(fields)})"


def current_timestamp():
    return "current_timestamp()"


def cast_bool_to_text(field):
    return f"cast({field} as string)"


def split_part(string_text, delimiter_text, part_number):
    return f"split({string_text}, {delimiter_text})[safe_offset({part_number} - 1)]"
