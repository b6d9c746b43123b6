"""The visitor's agenda: reminded webinars, kept across runs, notices when they start, an .ics export.

    store      Entry, Agenda (the JSON file in the user's data folder)
    reminders  Reminders (which reminders are due, each once), status()
    ics        calendar(), export_ics()
    notifier   AgendaNotifier (App.step calls it: notices over any screen)
    screen     AgendaScreen, open_agenda() (the agenda window over the hall)
    browser    join(): a room in the browser, through expo_hall.system (the OS edge)
"""

from expo_hall.agenda.reminders import Reminders, status
from expo_hall.agenda.store import Agenda, Entry, Key

__all__ = ["Agenda", "Entry", "Key", "Reminders", "status"]
