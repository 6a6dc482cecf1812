"""Text columns of all input tables as dictionary codes over cleaned distinct values.

Split out of :mod:`jituan.records`: this is the pyarrow-facing part of normalising,
turning the readers' dictionary (or plain text) chunks into one numpy code array per
column, so that each distinct cell text is cleaned, matched and parsed once, whatever
the number of rows that carry it.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from jituan.textnorm import clean


def _indices(chunk) -> np.ndarray:
    """The indices of a dictionary array (no nulls) as numpy, read from its buffer
    (``to_numpy`` would import pandas)."""
    indices = chunk.indices
    dtype = np.dtype(str(indices.type))
    return np.frombuffer(indices.buffers()[1], dtype=dtype)[
        indices.offset : indices.offset + len(indices)
    ]


def _dictionary_id(chunk) -> tuple:
    dictionary = chunk.dictionary
    buffers = tuple((b.address, b.size) if b is not None else None for b in dictionary.buffers())
    return (buffers, dictionary.offset, len(dictionary))


def _merge_shared(chunks: list) -> list:
    """Consecutive chunks that share one dictionary (the files of a batch, sliced from one
    parse) merged into one chunk, so that the dictionary is unified once, not per file."""
    import pyarrow as pa

    runs: list[list] = []
    last = None
    for chunk in chunks:
        ident = _dictionary_id(chunk) if pa.types.is_int32(chunk.type.index_type) else None
        if runs and ident is not None and ident == last:
            runs[-1].append(chunk)
        else:
            runs.append([chunk])
        last = ident
    if len(runs) == len(chunks):
        return chunks
    out = []
    for run in runs:
        if len(run) == 1:
            out.append(run[0])
            continue
        codes = np.concatenate([_indices(c) for c in run]).astype(np.int32, copy=False)
        indices = pa.Array.from_buffers(pa.int32(), len(codes), [None, pa.py_buffer(codes)])
        out.append(pa.DictionaryArray.from_arrays(indices, run[0].dictionary))
    return out


class _Column:
    """One text column of all inputs as dictionary codes: ``codes[i]`` indexes ``values``.

    ``values`` are the distinct cleaned (NFKC, trimmed) cell texts: each is cleaned,
    matched and parsed once, whatever the number of rows that carry it.
    """

    def __init__(self, codes: np.ndarray, values: list[str]) -> None:
        self.codes, self.values = codes, values

    @classmethod
    def of(
        cls,
        chunks: list,
        one_input: bool = False,
        compact: bool = False,
        normal: Callable[[str], str] = clean,
    ) -> _Column:
        """The column of these chunks; ``one_input``: all come from one table, whose
        chunks never share a dictionary (only files parsed together in a batch do).

        ``compact``: codes of two bytes when they fit (a column whose codes are only ever
        looked up, never computed with): half the memory to write and read. ``normal``:
        the form in which two cell texts are the same value (:func:`clean` by default).
        """
        import pyarrow as pa

        if chunks and all(pa.types.is_dictionary(c.type) for c in chunks):
            merged = chunks if one_input else _merge_shared(chunks)
            whole = pa.table({"v": pa.chunked_array(merged)})
            encoded = whole.unify_dictionaries().column("v")
        else:  # plain text (the slower CSV readers): pyarrow.compute takes 50 ms to import
            import pyarrow.compute as pc

            plain = [c.dictionary_decode() if pa.types.is_dictionary(c.type) else c for c in chunks]
            encoded = pc.dictionary_encode(pa.chunked_array(plain, type=pa.string()))
        if not encoded.num_chunks:
            return cls(np.zeros(0, dtype=np.int32), [""])
        raw = encoded.chunk(0).dictionary.to_pylist()
        index: dict[str, int] = {}
        lut = np.array([index.setdefault(normal(v), len(index)) for v in raw], dtype=np.int32)
        dtype = np.uint16 if compact and len(index) <= np.iinfo(np.uint16).max else np.int32
        lut = lut.astype(dtype, copy=False)
        # each chunk's indices through the cleaning table, written once into one array
        codes = np.empty(len(encoded), dtype=dtype)
        at = 0
        for chunk in encoded.chunks:
            # "clip": valid indices by construction, and no buffered copy of the output
            np.take(lut, _indices(chunk), out=codes[at : at + len(chunk)], mode="clip")
            at += len(chunk)
        return cls(codes, list(index))

    def lookup(self, fn: Callable[[str], object]) -> list:
        """``fn`` of every distinct value (index by code)."""
        return [fn(v) for v in self.values]

    def mask(self, fn: Callable[[str], bool]) -> np.ndarray:
        """Rows whose value satisfies ``fn``, testing each distinct value once."""
        lut = np.fromiter((bool(fn(v)) for v in self.values), dtype=bool, count=len(self.values))
        return lut[self.codes]

    def take(self, rows: np.ndarray) -> _Column:
        return _Column(self.codes[rows], self.values)
