"""Getting paper pages into the app: a scanner driven directly (SANE through python-sane), or a file (PDF,
multi-page TIFF, JPEG, PNG); pages come out upright, one at a time, so that each is kept as soon as it exists.

Below services/ beside ocr/: no Qt, no database. The caller (services/paper_pages.py) stores the pages.
"""
