"""Performance reports: the data book, weekly activity report, scorecard and self-evaluation pack.

Each report is built from journey frames by one function returning plain data, then rendered
to HTML (Django templates, inline SVG charts), XLSX (`xlsx`, native Excel charts) or PDF
(`pdf`):

- `databook.databook(frames, as_at, teams=None, with_council=True)` -> `DataBook`;
- `weekly.weekly(frames, as_at, team=None)` -> `Weekly`;
- `scorecard.scorecard(frames, as_at, period="ytd", team=None)` -> `Scorecard`;
- `selfeval.pack(frames, as_at)` -> `Pack`, with `selfeval.trend_statement(...)`;
- `cli.write_xlsx / write_html / write_pdf`: the `safeguard databook` formats.

Every figure carries a `common.FigureRef` (measure, date, period, team) whose ``url`` is the
drill-down page listing the children behind it.
"""
