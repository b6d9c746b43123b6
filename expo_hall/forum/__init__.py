"""The business programme in the client: where the visitor finds, bookmarks and watches the forum's events.

    listing  the programme as the client has it (the server's GET /programme, or the folder without a backend),
             each event's status at the app's clock, its agenda entry, the stand webinars of its cluster
    screen   ProgrammeScreen, open_programme(): the programme window (top bar, hotkey F)
"""
