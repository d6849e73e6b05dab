"""A parameterised family of synthetic ID documents, in a development and a sealed split (issue 12).

Where tests/support/id_documents.py draws one layout of each document, this family draws many: for each type
several layouts (caption and value positions, line spacing, photo and emblem places, zone geometry), every CJK
face Debian ships and both OCR-B cuts, stock colours and guilloche patterns, print quality, varied content
(TD1 codes ID, I<, IR, AC, C<; optional data filled and empty; names truncated in the zone; addresses of one to
three lines ending in 号, 室, 组, 村; 长期 validity; names with ·), and captures over the range of real scans
and phone photos. Nothing in it is real personal data.

    from tests.support.id_family import DEVELOPMENT, SEALED, samples
    for sample in samples(DEVELOPMENT, n_per_kind=10):
        sample.image(), sample.truth, sample.kind, sample.conditions

Modules: fonts (faces), content (what is printed), artwork (stock, patterns, photo and emblem places),
layouts (the layouts and the drawing), capture (clean, flatbed, phone), splits (the two specs), dataset
(documents of a split).
"""

from tests.support.id_family.dataset import KINDS, MRZ_KINDS, Sample, document, samples, write_dataset
from tests.support.id_family.splits import DEVELOPMENT, SEALED, SPLITS, SplitSpec, sealed_only

__all__ = [
    "DEVELOPMENT",
    "KINDS",
    "MRZ_KINDS",
    "SEALED",
    "SPLITS",
    "Sample",
    "SplitSpec",
    "document",
    "samples",
    "sealed_only",
    "write_dataset",
]
