import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from steward.audit import merkle


def sha(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def reference_root(leaves: list[bytes]) -> bytes:
    """RFC 9162 §2.1.1 written out recursively, to check the fast version against."""
    if not leaves:
        return sha(b"")
    if len(leaves) == 1:
        return sha(b"\x00" + leaves[0])
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return sha(b"\x01" + reference_root(leaves[:k]) + reference_root(leaves[k:]))


# The test vectors used by Certificate Transparency implementations (RFC 6962
# and 9162 define the same tree): leaves and the roots of each prefix.
CT_LEAVES = [bytes.fromhex(h) for h in [
    "", "00", "10", "2021", "3031", "40414243", "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
]]  # fmt: skip
CT_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]


def test_empty_tree_is_the_hash_of_nothing():
    assert merkle.root([]).hex() == (
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    )


def test_three_leaves_by_hand():
    a, b, c = b"alpha", b"beta", b"gamma"
    la, lb, lc = sha(b"\x00" + a), sha(b"\x00" + b), sha(b"\x00" + c)
    # n=3 splits at k=2: the left subtree holds a and b, the right just c.
    expected = sha(b"\x01" + sha(b"\x01" + la + lb) + lc)
    assert merkle.root([a, b, c]) == expected
    assert merkle.leaf_hash(a) == la
    assert merkle.node_hash(la, lb) == sha(b"\x01" + la + lb)


@pytest.mark.parametrize("size", range(1, 9))
def test_certificate_transparency_vectors(size):
    assert merkle.root(CT_LEAVES[:size]).hex() == CT_ROOTS[size - 1]


def test_leaf_and_node_prefixes_prevent_second_preimages():
    # A two-leaf tree must not hash like one leaf holding the two leaf hashes.
    a, b = b"a", b"b"
    assert merkle.root([a, b]) != merkle.root([merkle.leaf_hash(a) + merkle.leaf_hash(b)])


def leaves_of(size: int) -> list[bytes]:
    return [f"event {i}".encode() for i in range(size)]


@pytest.mark.parametrize("size", range(1, 41))
def test_inclusion_proofs_verify_for_every_leaf(size):
    leaves = leaves_of(size)
    root_hash = reference_root(leaves)
    assert merkle.root(leaves) == root_hash
    for index in range(size):
        proof = merkle.inclusion_proof(leaves, index)
        leaf = merkle.leaf_hash(leaves[index])
        assert merkle.verify_inclusion(
            index=index, size=size, leaf=leaf, proof=proof, root_hash=root_hash
        )
        # The same proof must not prove a different leaf, position or root.
        other = merkle.leaf_hash(b"not in the tree")
        assert not merkle.verify_inclusion(
            index=index, size=size, leaf=other, proof=proof, root_hash=root_hash
        )
        if size > 1:
            wrong_index = (index + 1) % size
            assert not merkle.verify_inclusion(
                index=wrong_index, size=size, leaf=leaf, proof=proof, root_hash=root_hash
            )
        assert not merkle.verify_inclusion(
            index=index, size=size, leaf=leaf, proof=proof, root_hash=sha(b"other root")
        )


@pytest.mark.parametrize("new_size", range(1, 41))
def test_consistency_proofs_verify_for_every_pair(new_size):
    leaves = leaves_of(new_size)
    new_root = reference_root(leaves)
    for old_size in range(1, new_size + 1):
        old_root = reference_root(leaves[:old_size])
        proof = merkle.consistency_proof(leaves, old_size)
        assert merkle.verify_consistency(
            old_size=old_size,
            new_size=new_size,
            old_root=old_root,
            new_root=new_root,
            proof=proof,
        )
        if old_size < new_size:
            # A rewritten history (a different first leaf) is not consistent.
            forged_old = reference_root([b"rewritten", *leaves[1:old_size]])
            assert not merkle.verify_consistency(
                old_size=old_size,
                new_size=new_size,
                old_root=forged_old,
                new_root=new_root,
                proof=proof,
            )


def test_inclusion_proof_sizes_are_logarithmic():
    assert len(merkle.inclusion_proof(leaves_of(1024), 5)) == 10
    assert merkle.inclusion_proof(leaves_of(1), 0) == []


def test_out_of_range_indexes_are_refused():
    with pytest.raises(ValueError):
        merkle.inclusion_ranges(3, 3)
    with pytest.raises(ValueError):
        merkle.consistency_ranges(0, 3)
    assert not merkle.verify_inclusion(index=3, size=3, leaf=b"", proof=[], root_hash=b"")
    assert not merkle.verify_consistency(
        old_size=4, new_size=3, old_root=b"", new_root=b"", proof=[]
    )


@given(st.lists(st.binary(max_size=8), max_size=70))
def test_level_by_level_root_matches_the_recursive_definition(leaves):
    assert merkle.root(leaves) == reference_root(leaves)


@given(
    st.lists(st.binary(max_size=4), min_size=0, max_size=300),
    st.lists(st.integers(min_value=1, max_value=40), min_size=1, max_size=50),
    st.sampled_from([1, 2, 4, 16]),
)
def test_streamed_root_matches_whatever_the_chunking(leaves, chunk_sizes, block):
    tree = merkle.MerkleAccumulator()
    tree.BLOCK = block
    position, i = 0, 0
    while position < len(leaves):
        step = chunk_sizes[i % len(chunk_sizes)]
        tree.add_leaves(leaves[position : position + step])
        position += step
        i += 1
        assert tree.size == min(position, len(leaves))
        assert tree.root() == reference_root(leaves[: tree.size])
    assert tree.root() == reference_root(leaves)


@given(st.integers(min_value=1, max_value=200), st.data())
def test_proofs_from_ranges_match_in_memory_proofs(size, data):
    leaves = leaves_of(size)
    index = data.draw(st.integers(min_value=0, max_value=size - 1))
    hashes = merkle.leaf_hashes(leaves)
    via_ranges = merkle.proof_from_ranges(
        merkle.inclusion_ranges(index, size), lambda lo, hi: merkle.root_from_hashes(hashes[lo:hi])
    )
    assert via_ranges == merkle.inclusion_proof(leaves, index)
