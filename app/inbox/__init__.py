"""Community, wired: syncing the accounts' videos and comments, labels on arrival,
replies sent by the worker once, importing comments from files, and the
schedule the worker keeps (issue 11). Headless: no Textual here.
"""
