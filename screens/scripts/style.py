"""The Scripts tab's styles (the pane's DEFAULT_CSS): panel under or beside the editor."""

SCRIPTS_CSS = """
    ScriptsPane { layout: vertical; }
    #scripts-switcher, #scripts-picker, #scripts-editor { height: 1fr; }
    #scripts-filter { margin: 0 1; }
    #scripts-posts { height: 1fr; border: none; padding: 0; background: $background; }
    #scripts-posts:focus { border: none; background-tint: $foreground 0%; }
    #scripts-header { height: 1; padding: 0 1; background: $boost; }
    #scripts-body { height: 1fr; layout: vertical; }
    #scripts-text { height: 1fr; border: none; padding: 0 1; }
    #scripts-text:focus { border: none; }
    #scripts-panel { height: auto; max-height: 10; border-top: solid $primary-background; }
    #scripts-estimate { padding: 0 1; }
    #scripts-estimate.-over, #scripts-coverage.-none { background: $warning-muted; }
    #scripts-coverage { height: 1; padding: 0 1; color: $text-muted; }
    #scripts-shots { height: auto; max-height: 7; }
    ScriptsPane.-wide #scripts-body { layout: horizontal; }
    ScriptsPane.-wide #scripts-panel {
        width: 45%; height: 1fr; max-height: 100%; border-top: none;
        border-left: vkey $primary-background;
    }
    ScriptsPane.-wide #scripts-estimate { margin-bottom: 1; }
    ScriptsPane.-wide #scripts-shots { max-height: 100%; height: 1fr; }
    ScriptsPane.-no-panel #scripts-panel { display: none; }
"""
