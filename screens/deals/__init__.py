"""The Deals tab: brand deals on a board or in a list by stage, a deal's detail
(deliverables, their posts' progress, the disclosure gate per publication,
reports, invoices) and the forms its keys open."""
