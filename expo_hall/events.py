"""The app's own pygame event types, all made here, at one import.

pygame.quit() starts custom event numbers over; a type made by a module imported after a quit (a test's second
app, say) would take a number pygame_gui already uses, and its events would reach pygame_gui's elements as theirs.
Made together, at the app's import, they keep numbers of their own for the process's life."""

from __future__ import annotations

import pygame

NET_EVENT = pygame.event.custom_type()  # .tag, .result (a value or an exception)
EXPO_READY = pygame.event.custom_type()  # the expo was loaded (or failed to): the loader's answer
LOAD_PROGRESS = pygame.event.custom_type()  # the loader's progress moved (loading.Progress): its bar is drawn again
LOGOS_READY = pygame.event.custom_type()  # .logos: {id: (was, now, DecodedLogo | None)} after the hall
LOGOS_DECODED = pygame.event.custom_type()  # .logos: {id: (exhibitor, DecodedLogo | None)}: stands.logos.LogoDecoder
RELOADED = pygame.event.custom_type()  # organizer mode: .snapshot (Snapshot), .changed (the paths that changed)
