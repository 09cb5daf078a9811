"""The Numbers tab: charts of the workspace's metrics, their tables, and the filters.

- `model`: what is shown (chart, measure, date range, account and pillar
  filters, table or chart) as one frozen `View`, how each key changes it, and
  what a read brings back for each chart.
- `text`: numbers and database text as shown (control characters dropped,
  cut by terminal cells).
- `tables`: the exact numbers behind each chart, as table columns and rows.
- `charts`: the chart widgets (plotext line charts, the best-time grid, the
  comparison box rows), each drawing its own figure at its own size.
- `messages`: the typed messages of the tab's workers and requests.
- `pane`: `NumbersPane`, the tab.
"""
