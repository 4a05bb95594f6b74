"""Merkle tree hashes, inclusion proofs and consistency proofs (RFC 9162 §2.1).

The audit trail's leaves are the 32-byte ``entry_hash`` of each event in
``seq`` order. A checkpoint signs the tree head (size and root), so anyone
holding a checkpoint can be shown that one event is in the trail (an
inclusion proof) or that a later trail extends an earlier one without
rewriting it (a consistency proof), with a logarithmic number of hashes.

Roots are computed level by level (never by recursing per leaf) so a million
leaves take a couple of seconds; :class:`MerkleAccumulator` does the same in
constant memory for leaves that arrive as a stream.
"""

import hashlib
from collections.abc import Callable, Iterable, Sequence

LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
EMPTY_ROOT = hashlib.sha256(b"").digest()

_sha256 = hashlib.sha256


def leaf_hash(data: bytes) -> bytes:
    return _sha256(LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return _sha256(NODE_PREFIX + left + right).digest()


def leaf_hashes(leaves: Iterable[bytes]) -> list[bytes]:
    return [_sha256(LEAF_PREFIX + data).digest() for data in leaves]


def largest_power_of_two_below(n: int) -> int:
    """The ``k`` of RFC 9162: the largest power of two smaller than ``n`` (n > 1)."""
    if n < 2:
        raise ValueError("n must be at least 2")
    return 1 << ((n - 1).bit_length() - 1)


def root_from_hashes(hashes: Sequence[bytes]) -> bytes:
    """The Merkle tree hash over leaves already hashed with :func:`leaf_hash`.

    Pairing neighbours level by level and carrying an odd last node up
    unchanged builds exactly RFC 9162's tree, which splits at the largest
    power of two below n: the left subtrees are always complete, so only the
    rightmost node of a level can lack a partner.
    """
    if not hashes:
        return EMPTY_ROOT
    level = list(hashes)
    while len(level) > 1:
        paired = [
            _sha256(NODE_PREFIX + level[i] + level[i + 1]).digest()
            for i in range(0, len(level) - 1, 2)
        ]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return level[0]


def root(leaves: Sequence[bytes]) -> bytes:
    """MTH(D[n]) over the leaf data."""
    return root_from_hashes(leaf_hashes(leaves))


class MerkleAccumulator:
    """The root of a growing tree in O(log n) memory (a "compact range").

    Keeps the roots of the complete subtrees that make up the leaves so far,
    largest first. Leaves are added in blocks where possible, hashed level by
    level, so streaming a million leaves costs little more than hashing them.
    """

    BLOCK = 1024  # a power of two

    def __init__(self) -> None:
        self.size = 0
        self._stack: list[tuple[int, bytes]] = []  # (subtree size, subtree root)

    def _push(self, size: int, digest: bytes) -> None:
        stack = self._stack
        while stack and stack[-1][0] == size:
            _, left = stack.pop()
            digest = _sha256(NODE_PREFIX + left + digest).digest()
            size *= 2
        stack.append((size, digest))
        # self.size is maintained by the callers, which know how many leaves went in.

    def add_hashes(self, hashes: Sequence[bytes]) -> None:
        """Append leaves already hashed with :func:`leaf_hash`."""
        i, n, block = 0, len(hashes), self.BLOCK
        while i < n:
            if self.size % block == 0 and n - i >= block:
                self._push(block, root_from_hashes(hashes[i : i + block]))
                i += block
                self.size += block
            else:
                self._push(1, hashes[i])
                i += 1
                self.size += 1

    def add_leaves(self, leaves: Sequence[bytes]) -> None:
        self.add_hashes(leaf_hashes(leaves))

    def root(self) -> bytes:
        if not self._stack:
            return EMPTY_ROOT
        digest = self._stack[-1][1]
        for _, left in reversed(self._stack[:-1]):
            digest = _sha256(NODE_PREFIX + left + digest).digest()
        return digest


# --- Proofs -----------------------------------------------------------------
# Each proof is a list of subtree roots. The functions below first work out
# *which* ranges of leaves those roots cover (cheap, no hashing), so a caller
# holding millions of leaves in a database can stream each range instead of
# loading every leaf.

Range = tuple[int, int]  # [start, end) of leaf indexes


def inclusion_ranges(index: int, size: int) -> list[Range]:
    """The leaf ranges whose roots form PATH(index, D[size]), in proof order."""
    if not 0 <= index < size:
        raise ValueError("The leaf index must be inside the tree.")
    ranges: list[Range] = []
    lo, hi = 0, size
    while hi - lo > 1:
        k = largest_power_of_two_below(hi - lo)
        if index < lo + k:
            ranges.append((lo + k, hi))
            hi = lo + k
        else:
            ranges.append((lo, lo + k))
            lo += k
    return ranges[::-1]  # found top-down; the proof lists the deepest sibling first


def consistency_ranges(old_size: int, new_size: int) -> list[Range]:
    """The leaf ranges whose roots form PROOF(old_size, D[new_size]), in proof order."""
    if not 0 < old_size <= new_size:
        raise ValueError("Consistency needs 0 < old size <= new size.")
    ranges: list[Range] = []
    lo, hi, m, complete = 0, new_size, old_size, True
    while True:
        n = hi - lo
        if m == n:
            if not complete:
                ranges.append((lo, hi))
            break
        k = largest_power_of_two_below(n)
        if m <= k:
            ranges.append((lo + k, hi))
            hi = lo + k
        else:
            ranges.append((lo, lo + k))
            lo += k
            m -= k
            complete = False
    return ranges[::-1]


def _proof(hashes: Sequence[bytes], ranges: list[Range]) -> list[bytes]:
    return [root_from_hashes(hashes[lo:hi]) for lo, hi in ranges]


def inclusion_proof(leaves: Sequence[bytes], index: int) -> list[bytes]:
    """The audit path for ``leaves[index]`` in the tree of all ``leaves``."""
    return _proof(leaf_hashes(leaves), inclusion_ranges(index, len(leaves)))


def consistency_proof(leaves: Sequence[bytes], old_size: int) -> list[bytes]:
    """Proof that the tree of ``leaves[:old_size]`` is a prefix of the tree of ``leaves``."""
    return _proof(leaf_hashes(leaves), consistency_ranges(old_size, len(leaves)))


def proof_from_ranges(
    ranges: list[Range], subtree_root: Callable[[int, int], bytes]
) -> list[bytes]:
    """A proof whose subtree roots come from ``subtree_root(start, end)`` (e.g. a database)."""
    return [subtree_root(lo, hi) for lo, hi in ranges]


def verify_inclusion(
    *, index: int, size: int, leaf: bytes, proof: Sequence[bytes], root_hash: bytes
) -> bool:
    """RFC 9162 §2.1.3.2. ``leaf`` is the leaf hash (:func:`leaf_hash` of the data)."""
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not (fn & 1 or fn == 0):
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root_hash


def verify_consistency(
    *, old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """RFC 9162 §2.1.4.2: the tree of ``new_size`` leaves extends the one of ``old_size``."""
    if old_size < 1 or old_size > new_size:
        return False
    if old_size == new_size:
        return not proof and old_root == new_root
    path = list(proof)
    if old_size & (old_size - 1) == 0:  # an exact power of two
        path.insert(0, old_root)
    if not path:
        return False
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while not (fn & 1 or fn == 0):
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == old_root and sr == new_root
