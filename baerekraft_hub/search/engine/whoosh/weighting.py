"""BM25F with each language family's field lengths averaged over that family's documents.

Whoosh averages a field's length over every document in the index. Our text fields come in a
Norwegian and an English family (schema.py) and a document fills only its own, so with one
English document in twenty the average English title was a twentieth of a real one, and
BM25's length normalisation scored every English text as if it were very long: `stormwater`
in an English title counted less than a synonym in a Norwegian one. Averaging over the
documents of the family (the indexed `family` field) gives both families a fair length norm.
"""

from __future__ import annotations

from whoosh.scoring import BM25F, BM25FScorer

FAMILIES = ("no", "en")


class FamilyBM25F(BM25F):
    """BM25F whose average field length of `<field>_<family>` counts that family's documents."""

    def scorer(self, searcher, fieldname: str, text: str, qf: int = 1):  # type: ignore[override]
        """Whoosh's BM25F scorer, with the family's own average field length."""
        scorer = super().scorer(searcher, fieldname, text, qf)
        family = fieldname.rpartition("_")[2]
        if isinstance(scorer, BM25FScorer) and family in FAMILIES:
            parent = searcher.get_parent()
            documents = parent.doc_frequency("family", family)
            if documents:
                scorer.avgfl = parent.field_length(fieldname) / documents or 1
        return scorer
