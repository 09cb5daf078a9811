"""Brand deals (issue 13): partners, deals through the pipeline, deliverables, the
disclosure gate, sponsor reports, invoices.

- `money` — amounts as integer minor units, read from and shown with Babel;
- `models` — the rows (Partner, Deal, Deliverable, Invoice, …);
- `repo` — `DealRepo`: partners, deals, stages, deliverables and their states;
- `progress` — a deliverable's posts (script, footage, render, publications)
  and the lead-time flags;
- `gate` — `DisclosureGate`: what a publication still lacks before it may go out;
- `reports` — sponsor reports at checkpoints after a deliverable goes live;
- `invoices` — `InvoiceRepo`: invoices per deal, overdue ones;
- `exclusivity` — competing brands' deliverables inside a deal's window.
"""
