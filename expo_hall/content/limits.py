"""How big content may be: file sizes per kind and text lengths, defined once.

The content checks (expo_hall/stands/validate.py) judge a stand package by these, and the server's API
takes the same limits where it accepts the same text (e-mail addresses, phone numbers, chat messages: an
away message is sent to visitors as a chat message).
"""

from __future__ import annotations

MB = 1024 * 1024

# files, in bytes
LOGO_MAX_BYTES = 10 * MB  # a logo is kept at 512 px: ten megabytes is already far more than it needs
VIDEO_MAX_BYTES = 500 * MB  # about 10 minutes of 1080p H.264 at a good quality
MATERIAL_MAX_BYTES = 50 * MB  # each material: a brochure, a presentation
UNPACKED_MAX_BYTES = 200 * MB  # the most an office document (a zip inside) may say it unpacks to
ZIP_MAX_MEMBERS = 10_000  # files inside one office document
UPLOAD_MAX_BYTES = {"logo": LOGO_MAX_BYTES, "video": VIDEO_MAX_BYTES, "material": MATERIAL_MAX_BYTES}  # per kind
STAND_UPLOADS_MAX_BYTES = 2048 * MB  # what one stand's uploads hold at once: a video, a logo, 30 materials at most

# floors (Tiled maps)
MAP_MAX_SIDE_PX = 32768  # a floor's width or height
MAP_MAX_TILES = 2048 * 2048  # tiles in one layer: 16 MB of gids, read in about a second; 10000 px at 5 px a tile

# text, in characters (after the text rules of expo_hall/content/text.py)
COMPANY_NAME_MAX = 200  # Russian official names run long: "Федеральное государственное ... университет" is 146
CATEGORY_MAX = 80
DESCRIPTION_MAX = 3000
TITLE_MAX = 200  # a material's or a webinar's title
ADDRESS_MAX = 300
URL_MAX = 2000
HANDLE_MAX = 100  # a messenger's handle or link
MESSAGE_MAX = 2000  # a chat message (and so the stand's away message)
EMAIL_MAX = 254  # RFC 5321's limit on a forward path
PHONE_MAX = 40
