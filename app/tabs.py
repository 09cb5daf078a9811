"""The tab registry: each tab's id, title and pane factory, in order.

A new tab is one `TabSpec` entry in `TABS` and one factory here, a pane that
subclasses `screens.pane.Pane` (see its docstring) and a stylesheet
`app/styles/<tab>.tcss` (the App reads it just before it builds the pane; the
other files there from the start). A factory imports its screen and
repositories itself, so only the first tab's modules and rules load before
Today's first paint; the App builds the other panes after that (or at once
when one is asked for). Digit n goes to the n-th tab.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Callable

from app.workspace import Workspace
from widgets.tab_page import TabPage

if TYPE_CHECKING:
    from app.first_read import EarlyRead


@dataclass(frozen=True)
class TabContext:
    """What a pane factory may use to build its pane."""

    workspace: Workspace
    clock: Callable[[], datetime]
    early_read: EarlyRead | None = None  # Today read while the App started (app/first_read.py)


@dataclass(frozen=True)
class TabSpec:
    """One tab: its id, its title and how to build its pane."""

    id: str
    title: str
    factory: Callable[[TabContext, str, str], TabPage]  # (context, title, id)

    def build(self, context: TabContext) -> TabPage:
        """The pane, titled and identified as registered."""
        return self.factory(context, self.title, self.id)


def _today(ctx: TabContext, title: str, pane_id: str) -> TabPage:
    from app.deal_settings import lead_times
    from screens.today.pane import TodayPane
    from storage.today import TodayRepo

    config = ctx.workspace.config
    return TodayPane(
        TodayRepo(ctx.workspace.store, leads=lead_times(config)),
        clock=ctx.clock,
        zone=config.zone,
        locale=config.deals.locale,
        early_read=ctx.early_read.result if ctx.early_read is not None else None,
        title=title,
        id=pane_id,
    )


def _calendar(ctx: TabContext, title: str, pane_id: str) -> TabPage:
    from screens.calendar.pane import CalendarPane
    from storage.calendar import CalendarRepo
    from storage.posts import PostRepo

    store, config = ctx.workspace.store, ctx.workspace.config
    return CalendarPane(
        CalendarRepo(store),
        PostRepo(store),
        clock=ctx.clock,
        zone=config.zone,
        words_per_minute=config.scripts.words_per_minute,
        cjk_chars_per_minute=config.scripts.cjk_chars_per_minute,
        slot_specs=config.slots,
        title=title,
        id=pane_id,
    )


def _scripts(ctx: TabContext, title: str, pane_id: str) -> TabPage:
    from app.script_templates import workspace_templates
    from screens.scripts.pane import ScriptsPane
    from screens.scripts.services import ScriptsServices
    from storage.posts import PostRepo
    from storage.scripts import ScriptRepo
    from storage.shots import ShotRepo

    store, config, root = ctx.workspace.store, ctx.workspace.config, ctx.workspace.home.root
    services = ScriptsServices(
        ScriptRepo(store),
        ShotRepo(store),
        PostRepo(store),
        templates=lambda: workspace_templates(root),
        words_per_minute=config.scripts.words_per_minute,
        cjk_chars_per_minute=config.scripts.cjk_chars_per_minute,
    )
    return ScriptsPane(
        services,
        clock=ctx.clock,
        zone=config.zone,
        autosave_seconds=config.scripts.autosave_seconds,
        title=title,
        id=pane_id,
    )


def _footage(ctx: TabContext, title: str, pane_id: str) -> TabPage:
    from screens.footage.pane import FootagePane
    from screens.footage.window import FootageServices
    from storage.footage import FootageRepo
    from storage.posts import PostRepo
    from storage.processes import ProcessRepo

    store = ctx.workspace.store
    services = FootageServices(FootageRepo(store), PostRepo(store), ProcessRepo(store))
    return FootagePane(
        services, clock=ctx.clock, zone=ctx.workspace.config.zone, title=title, id=pane_id
    )


def _renders(ctx: TabContext, title: str, pane_id: str) -> TabPage:
    from app.render_form import renders_services
    from screens.renders.pane import RendersPane

    return RendersPane(
        renders_services(ctx.workspace),
        clock=ctx.clock,
        zone=ctx.workspace.config.zone,
        title=title,
        id=pane_id,
    )


def _publish(ctx: TabContext, title: str, pane_id: str) -> TabPage:
    from app.publish_form import publish_services
    from screens.publish.pane import PublishPane

    return PublishPane(
        publish_services(ctx.workspace, ctx.clock),
        clock=ctx.clock,
        zone=ctx.workspace.config.zone,
        title=title,
        id=pane_id,
    )


def _inbox(ctx: TabContext, title: str, pane_id: str) -> TabPage:
    from app.inbox.tab_services import inbox_services
    from screens.inbox.pane import InboxPane

    return InboxPane(
        inbox_services(ctx.workspace, ctx.clock),
        clock=ctx.clock,
        zone=ctx.workspace.config.zone,
        title=title,
        id=pane_id,
    )


def _numbers(ctx: TabContext, title: str, pane_id: str) -> TabPage:
    from screens.numbers.pane import NumbersPane
    from storage.metrics.repo import NumbersRepo

    config = ctx.workspace.config
    return NumbersPane(
        NumbersRepo(ctx.workspace.store),
        clock=ctx.clock,
        zone=config.zone,
        min_count=config.metrics.best_time_min_posts,
        title=title,
        id=pane_id,
    )


def _deals(ctx: TabContext, title: str, pane_id: str) -> TabPage:
    from app.deal_settings import lead_times
    from screens.deals.pane import DealsPane
    from screens.deals.services import DealsServices
    from storage.deals.detail import read_detail
    from storage.deals.invoices import InvoiceRepo
    from storage.deals.repo import DealRepo

    store, config = ctx.workspace.store, ctx.workspace.config
    leads, checkpoints = lead_times(config), config.deals.report_checkpoints_hours
    services = DealsServices(
        DealRepo(store),
        InvoiceRepo(store),
        detail=lambda deal_id, now: read_detail(
            store, deal_id, now, leads=leads, checkpoints=checkpoints
        ),
        zone=config.zone,
        locale=config.deals.locale,
    )
    return DealsPane(services, clock=ctx.clock, title=title, id=pane_id)


TABS: tuple[TabSpec, ...] = (
    TabSpec("today", "Today", _today),
    TabSpec("calendar", "Calendar", _calendar),
    TabSpec("scripts", "Scripts", _scripts),
    TabSpec("footage", "Footage", _footage),
    TabSpec("renders", "Renders", _renders),
    TabSpec("publish", "Publish", _publish),
    TabSpec("inbox", "Inbox", _inbox),
    TabSpec("numbers", "Numbers", _numbers),
    TabSpec("deals", "Deals", _deals),
)
