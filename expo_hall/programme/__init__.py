"""The business programme: a frab schedule (schedule.xml or .json, as pretalx and frab export it) and
programme.toml (rooms to halls, streams and recordings; tracks to clusters; moderators). Plain Python: the server
and the tools read it through here.

    model      Schedule, Event, ..., Mapping, Programme
    values     frab's value formats, as the c3voc schemas check them
    frab       frab's JSON shape read into the model (with problems) and written back
    frab_xml   schedule.xml to and from that shape
    mapping    programme.toml
    load       load_programme(folder): the programme and its problems
    timetable  now/next per room, overlapping events

The calendar of bookmarked events is the agenda's (expo_hall.agenda.ics).
"""

from expo_hall.programme.frab import read_frab, to_frab
from expo_hall.programme.frab_xml import frab_to_xml, xml_to_frab
from expo_hall.programme.load import load_programme
from expo_hall.programme.model import Event, Mapping, Programme, Schedule

__all__ = ["Event", "Mapping", "Programme", "Schedule", "frab_to_xml", "load_programme", "read_frab", "to_frab",
           "xml_to_frab"]
