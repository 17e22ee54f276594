"""A corrected return takes back its year's word that a child is UASC (issue 3: "A newer return
for the same period replaces that period's data for the children in it, and says what it
replaced"); another year's return, or a flag recorded in Safeguard, is left alone.

The returns: A1, born 1 January 2004, in care since 1 April 2018, is UASC in some of them (UASC
status ceasing on their 18th birthday, 1 January 2022, where a date is given); A2, in care
alike, never is. Each case runs with both ways a return says a child is UASC: a row in the UASC
file (with the date ceased), or the Header's flag 1 with no UASC row (no date ceased).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from safeguard.journey import models as jm
from safeguard.journey.models.base import RECORDED
from safeguard.returns.codec import LoadSummary
from safeguard.returns.importing import import_returns
from safeguard.returns.models import ImportLog
from safeguard.returns.ssda903 import reader
from safeguard.returns.ssda903.codec import CODEC
from safeguard.returns.ssda903.uasc import CLEARED

from .helpers import write_csvs

HEAD = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB"
EPISODES = (
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,"
    "PL_POST,URN\nA1,01/04/2018,S,C2,N1,U1,PR1,,,,,,\nA2,01/04/2018,S,C2,N1,U1,PR1,,,,,,"
)
FORMS = ("uasc-file", "header-flag")
DUC = {"uasc-file": date(2022, 1, 1), "header-flag": None}


def _said(form: str, *years: int) -> str:
    """`uasc_sources` once these years' returns, in one form, say A1 is UASC: each year with the
    date ceased its return gave, if any."""
    dated = "=2022-01-01" if form == "uasc-file" else ""
    return " ".join(f"ssda903:{y}{dated}" for y in years)


def _files(form: str, uasc: bool, duc: str = "01/01/2022") -> dict[str, str]:
    """A return's CSVs saying (or not) that A1 is UASC, in one of the two forms."""
    if form == "header-flag":
        flag = "1" if uasc else "0"
        header = f"{HEAD},UASC\nA1,1,01/01/2004,BAFR,,,,{flag}\nA2,2,01/01/2005,WBRI,,,,0"
        return {"header.csv": header, "episodes.csv": EPISODES}
    header = f"{HEAD}\nA1,1,01/01/2004,BAFR,,,\nA2,2,01/01/2005,WBRI,,,"
    files = {"header.csv": header, "episodes.csv": EPISODES}
    if uasc:
        files["uasc.csv"] = f"CHILD,SEX,DOB,DUC\nA1,1,01/01/2004,{duc}"
    return files


def _load(tmp_path: Path, year: int, form: str, *, uasc: bool, **kw) -> LoadSummary:
    """Read and load one year's return (each call in a folder of its own)."""
    folder = tmp_path / f"load{len(list(tmp_path.iterdir()))}" / str(year)
    result = reader.read([write_csvs(folder, _files(form, uasc, **kw))])
    assert result.problems == [] and result.year == year
    return CODEC.to_record(result.frames, source=f"ssda903:{year}")


def _flag(la_child_id: str = "A1") -> tuple:
    return jm.Child.objects.values_list("uasc", "uasc_ceased", "uasc_sources").get(
        la_child_id=la_child_id
    )


@pytest.mark.django_db
@pytest.mark.parametrize("form", FORMS)
def test_a_corrected_return_of_the_same_year_clears_the_flag_and_says_so(tmp_path, form):
    _load(tmp_path, 2019, form, uasc=True)
    assert _flag() == (True, DUC[form], _said(form, 2019))
    summary = _load(tmp_path, 2019, form, uasc=False)
    assert _flag() == (False, None, "")
    # Only the flag changed: the episodes are the same as before.
    assert summary.replaced == {CLEARED: 1} and not summary.unchanged
    assert _flag("A2") == (False, None, "")


@pytest.mark.django_db
@pytest.mark.parametrize("form", FORMS)
def test_a_later_years_return_without_the_child_as_uasc_keeps_the_flag(tmp_path, form):
    # Absent from the 2019-20 UASC list: the status may have ceased before that year (rule
    # 205A), which the 2018-19 return's date ceased says, or would have said.
    _load(tmp_path, 2019, form, uasc=True)
    summary = _load(tmp_path, 2020, form, uasc=False)
    assert _flag() == (True, DUC[form], _said(form, 2019))
    assert CLEARED not in summary.replaced


@pytest.mark.django_db
@pytest.mark.parametrize("form", FORMS)
def test_an_earlier_years_return_loaded_after_keeps_the_flag(tmp_path, form):
    _load(tmp_path, 2020, form, uasc=True)
    summary = _load(tmp_path, 2019, form, uasc=False)
    assert _flag() == (True, DUC[form], _said(form, 2020))
    assert CLEARED not in summary.replaced


@pytest.mark.django_db
@pytest.mark.parametrize("form", FORMS)
def test_the_same_return_twice_changes_nothing(tmp_path, form):
    _load(tmp_path, 2019, form, uasc=True)
    stamp = jm.Child.objects.get(la_child_id="A1").updated_at
    summary = _load(tmp_path, 2019, form, uasc=True)
    assert summary.unchanged and summary.replaced == {}
    assert _flag() == (True, DUC[form], _said(form, 2019))
    assert jm.Child.objects.get(la_child_id="A1").updated_at == stamp


@pytest.mark.django_db
@pytest.mark.parametrize("form", FORMS)
def test_a_flag_recorded_in_safeguard_is_never_cleared_by_a_return(tmp_path, form):
    jm.Child.objects.create(
        la_child_id="A1", sex="1", date_of_birth=date(2004, 1, 1), uasc=True, source=RECORDED
    )
    _load(tmp_path, 2019, form, uasc=False)
    assert _flag() == (True, None, "")
    # A return that agrees does not take the flag over: its correction leaves it alone too.
    _load(tmp_path, 2019, form, uasc=True)
    assert _flag() == (True, DUC[form], "")
    summary = _load(tmp_path, 2019, form, uasc=False)
    assert _flag() == (True, DUC[form], "")
    assert CLEARED not in summary.replaced


@pytest.mark.django_db
@pytest.mark.parametrize("form", FORMS)
def test_the_flag_stays_while_any_years_return_still_says_it(tmp_path, form):
    # 2019 and 2020 both say A1 is UASC. The corrected 2019 return takes back 2019's word (and
    # says so), but 2020's still stands; the corrected 2020 return then clears the flag.
    # Loading them in the other order ends the same way.
    _load(tmp_path, 2019, form, uasc=True)
    _load(tmp_path, 2020, form, uasc=True)
    assert _flag() == (True, DUC[form], _said(form, 2019, 2020))
    assert _load(tmp_path, 2019, form, uasc=False).replaced == {CLEARED: 1}
    assert _flag() == (True, DUC[form], _said(form, 2020))
    assert _load(tmp_path, 2020, form, uasc=False).replaced == {CLEARED: 1}
    assert _flag() == (False, None, "")


@pytest.mark.django_db
def test_an_earlier_years_date_ceased_does_not_overwrite_a_later_years(tmp_path):
    # 2019-20 says the status ceases on 1 January 2022; the 2018-19 return, loaded after it,
    # still gave an earlier date (1 June 2021). The later return wins, as for every row.
    _load(tmp_path, 2020, "uasc-file", uasc=True)
    _load(tmp_path, 2019, "uasc-file", uasc=True, duc="01/06/2021")
    both = "ssda903:2019=2021-06-01 ssda903:2020={}"
    assert _flag() == (True, date(2022, 1, 1), both.format("2022-01-01"))
    # A 2020 resubmission with a new date is taken.
    _load(tmp_path, 2020, "uasc-file", uasc=True, duc="01/02/2022")
    assert _flag() == (True, date(2022, 2, 1), both.format("2022-02-01"))


def _two_dated_years(tmp_path: Path) -> None:
    """2018-19 says A1's status ceases on 1 June 2021, 2019-20 on 1 January 2022."""
    _load(tmp_path, 2019, "uasc-file", uasc=True, duc="01/06/2021")
    _load(tmp_path, 2020, "uasc-file", uasc=True, duc="01/01/2022")
    both = "ssda903:2019=2021-06-01 ssda903:2020=2022-01-01"
    assert _flag() == (True, date(2022, 1, 1), both)


@pytest.mark.django_db
def test_a_year_taken_back_takes_its_date_ceased_with_it(tmp_path):
    # The corrected 2019-20 return no longer calls A1 UASC: only 2018-19 still does, and the
    # date it gave (1 June 2021) is the record's again, not the withdrawn 1 January 2022.
    _two_dated_years(tmp_path)
    summary = _load(tmp_path, 2020, "uasc-file", uasc=False)
    assert _flag() == (True, date(2021, 6, 1), "ssda903:2019=2021-06-01")
    assert summary.replaced == {CLEARED: 1}


@pytest.mark.django_db
def test_an_earlier_year_taken_back_leaves_the_later_years_date_ceased(tmp_path):
    _two_dated_years(tmp_path)
    summary = _load(tmp_path, 2019, "uasc-file", uasc=False)
    assert _flag() == (True, date(2022, 1, 1), "ssda903:2020=2022-01-01")
    assert summary.replaced == {CLEARED: 1}


@pytest.mark.django_db
def test_a_year_taken_back_leaves_no_date_if_the_year_left_gave_none(tmp_path):
    # 2018-19 says A1 is UASC by the Header's flag only (no date ceased); 2019-20 gives
    # 1 January 2022, then is corrected: 2018-19 is left, and it gave no date.
    _load(tmp_path, 2019, "header-flag", uasc=True)
    _load(tmp_path, 2020, "uasc-file", uasc=True)
    assert _flag() == (True, date(2022, 1, 1), "ssda903:2019 ssda903:2020=2022-01-01")
    summary = _load(tmp_path, 2020, "uasc-file", uasc=False)
    assert _flag() == (True, None, "ssda903:2019")
    assert summary.replaced == {CLEARED: 1}


@pytest.mark.django_db
def test_a_resubmission_without_a_date_ceased_drops_its_years_date(tmp_path):
    # 2019-20 first gave 1 January 2022, then is resubmitted with A1 UASC by the Header's flag
    # only: its year's word now has no date, and it is still the latest.
    _two_dated_years(tmp_path)
    _load(tmp_path, 2020, "header-flag", uasc=True)
    assert _flag() == (True, None, "ssda903:2019=2021-06-01 ssda903:2020")


@pytest.mark.django_db
def test_the_import_report_and_log_say_the_flag_was_cleared(tmp_path):
    first = write_csvs(tmp_path / "a" / "2019", _files("uasc-file", True))
    corrected = write_csvs(tmp_path / "b" / "2019", _files("uasc-file", False))
    import_returns("ssda903", [first])
    report = import_returns("ssda903", [corrected])
    line = "episodes.csv, header.csv: replaced from an earlier load of the same period: {}."
    assert line.format("1 Child UASC") in report.lines()
    assert ImportLog.objects.latest("pk").replaced == {CLEARED: 1}
    assert _flag() == (False, None, "")
