"""Checking an import file of a newly published year (no database)."""

import datetime as dt

import pytest

from egov.core.calendar import CalendarFileError, parse_calendar_file

GOOD_CSV = """date,is_working,name
2027-01-01,false,元旦
2027-02-08,false,春节
2027-02-20,true,春节调休上班
"""


def test_good_csv_gives_the_year_and_its_days_in_order() -> None:
    year = parse_calendar_file(GOOD_CSV, "csv", source="import 2027.csv")
    assert year.year == 2027
    assert [(d.date, d.is_working, d.name) for d in year.days] == [
        (dt.date(2027, 1, 1), False, "元旦"),
        (dt.date(2027, 2, 8), False, "春节"),
        (dt.date(2027, 2, 20), True, "春节调休上班"),
    ]
    assert all(not d.provisional and d.source == "import 2027.csv" for d in year.days)


def test_good_json_with_booleans_or_words() -> None:
    text = (
        '[{"date": "2027-02-20", "is_working": true, "name": "春节调休上班"},'
        ' {"date": "2027-01-01", "is_working": "no", "name": "元旦"}]'
    )
    year = parse_calendar_file(text, "json")
    assert [d.date for d in year.days] == [dt.date(2027, 1, 1), dt.date(2027, 2, 20)]
    assert [d.is_working for d in year.days] == [False, True]


@pytest.mark.parametrize(
    ("text", "where", "reason"),
    [
        ("date,is_working,name\n2027-02-30,false,春节\n", "line 2", "date: '2027-02-30'"),
        (
            "date,is_working,name\n2027-01-01,false,元旦\n2028-01-03,false,元旦\n",
            "line 3",
            "not in 2027",
        ),
        (
            "date,is_working,name\n2027-01-01,false,元旦\n2027-01-01,false,元旦\n",
            "line 3",
            "listed twice (also line 2)",
        ),
        (
            "date,is_working,name\n2027-01-02,false,元旦\n",
            "line 2",
            "weekend rest day does not break",
        ),
        (
            "date,is_working,name\n2027-01-04,true,调休\n",
            "line 2",
            "working weekday does not break",
        ),
        ("date,name\n2027-01-01,元旦\n", "line 1", "header lacks column is_working"),
        (
            "date,is_working,name\n2027-01-01,maybe,元旦\n",
            "line 2",
            "is_working: expected true or false",
        ),
        ("date,is_working,name\n2027-01-01,false,\n", "line 2", "name: required"),
        ("date,is_working,name\n2027-01-01,false\n", "line 2", "fewer fields"),
        ("date,is_working,name\n2027-01-01,false,元旦,x\n", "line 2", "more fields"),
        ("date,is_working,name\n", "file", "no rows"),
    ],
)
def test_bad_csv_names_the_line_and_the_reason(text, where, reason) -> None:
    with pytest.raises(CalendarFileError) as caught:
        parse_calendar_file(text, "csv")
    assert caught.value.where == where
    assert reason in caught.value.reason


@pytest.mark.parametrize(
    ("text", "where", "reason"),
    [
        ('[{"date": "2027-01-01", "is_working": false}]', "item 1", "missing name"),
        ('[{"date": "2027-01-01", "is_working": 0.5, "name": "元旦"}]', "item 1", "is_working"),
        ('[{"date": "2027-01-01", "is_working": false, "name": "元旦"}, 3]', "item 2", "object"),
        ('{"date": "2027-01-01"}', "file", "JSON list"),
        ('[{"date": "2027-01-01",\n "is_working": false,,}]', "line 2", "not valid JSON"),
    ],
)
def test_bad_json_names_the_item_and_the_reason(text, where, reason) -> None:
    with pytest.raises(CalendarFileError) as caught:
        parse_calendar_file(text, "json")
    assert caught.value.where == where
    assert reason in caught.value.reason


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="file_format"):
        parse_calendar_file(GOOD_CSV, "xlsx")
