"""kreiss.io: every loader round-trips, every bad file gives one clear InputError line."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.io
import scipy.sparse

from kreiss.data import block_triangular, example_path
from kreiss.errors import InputError
from kreiss.io import LoadedMatrix, load_matrix, save_matrix


@pytest.fixture
def J():
    rng = np.random.default_rng(1)
    return rng.standard_normal((5, 5))


def _one_line_error(path, match):
    with pytest.raises(InputError, match=match) as info:
        load_matrix(path)
    message = str(info.value)
    assert "\n" not in message
    assert str(path) in message
    return message


# ---------------------------------------------------------------- round trips


def test_npy_round_trip(tmp_path, J):
    np.save(tmp_path / "j.npy", J)
    assert np.array_equal(load_matrix(tmp_path / "j.npy"), J)


def test_npz_with_J_round_trip(tmp_path, J):
    np.savez(tmp_path / "j.npz", J=J)
    out = load_matrix(tmp_path / "j.npz", blocks=True)
    assert isinstance(out, LoadedMatrix)
    assert np.array_equal(out.J, J) and out.blocks is None


def test_npz_single_unnamed_array(tmp_path, J):
    np.savez(tmp_path / "j.npz", J.T)  # stored as arr_0
    assert np.array_equal(load_matrix(tmp_path / "j.npz"), J.T)


def test_npz_with_A_C_D_assembles_block_lower_triangular(tmp_path):
    A = np.array([[0.5, 0.1], [0.1, 0.3]])
    C = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    D = np.diag([0.1, 0.2, 0.3])
    np.savez(tmp_path / "b.npz", A=A, C=C, D=D)
    out = load_matrix(tmp_path / "b.npz", blocks=True)
    assert out.blocks == (2, 3)
    assert np.array_equal(out.J[:2, :2], A)
    assert np.array_equal(out.J[:2, 2:], np.zeros((2, 3)))
    assert np.array_equal(out.J[2:, :2], C)
    assert np.array_equal(out.J[2:, 2:], D)


def test_npz_with_all_four_blocks(tmp_path):
    A, B, C, D = (np.full((2, 2), v) for v in (1.0, 2.0, 3.0, 4.0))
    np.savez(tmp_path / "b.npz", A=A, B=B, C=C, D=D)
    J = load_matrix(tmp_path / "b.npz")
    assert np.array_equal(J, [[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]])


def test_save_matrix_with_blocks_round_trip(tmp_path, J):
    path = save_matrix(tmp_path / "s.npz", J, blocks=2)
    out = load_matrix(path, blocks=True)
    assert np.array_equal(out.J, J) and out.blocks == (2, 3)
    with np.load(path) as data:
        assert sorted(data.files) == ["A", "B", "C", "D", "J"]
        assert np.array_equal(data["C"], J[2:, :2])


def test_save_matrix_without_blocks(tmp_path, J):
    path = save_matrix(tmp_path / "s.npz", J)
    out = load_matrix(path, blocks=True)
    assert np.array_equal(out.J, J) and out.blocks is None


def test_mtx_round_trip_dense_and_sparse(tmp_path, J):
    scipy.io.mmwrite(tmp_path / "d.mtx", J)
    assert np.allclose(load_matrix(tmp_path / "d.mtx"), J, rtol=1e-15, atol=0)
    S = scipy.sparse.coo_matrix(np.triu(J))
    scipy.io.mmwrite(tmp_path / "s.mtx", S)
    out = load_matrix(tmp_path / "s.mtx")
    assert isinstance(out, np.ndarray)
    assert np.allclose(out, np.triu(J), rtol=1e-15, atol=0)


@pytest.mark.parametrize("delimiter", [",", " ", "\t"])
def test_csv_round_trip(tmp_path, J, delimiter):
    np.savetxt(tmp_path / "j.csv", J, delimiter=delimiter, fmt="%.17g")
    assert np.array_equal(load_matrix(tmp_path / "j.csv"), J)


def test_csv_comments_blank_lines_and_complex(tmp_path):
    (tmp_path / "c.csv").write_text("# a comment\n\n1, 2+1j\n3, 4\n")
    J = load_matrix(tmp_path / "c.csv")
    assert J.dtype == np.complex128
    assert np.array_equal(J, [[1, 2 + 1j], [3, 4]])


def test_extension_is_case_insensitive(tmp_path, J):
    np.savetxt(tmp_path / "J.CSV", J, delimiter=",", fmt="%.17g")
    assert np.array_equal(load_matrix(tmp_path / "J.CSV"), J)


def test_bundled_example_is_the_documented_matrix():
    out = load_matrix(example_path("bt100"), blocks=True)
    assert out.J.shape == (100, 100) and out.blocks == (50, 50)
    A, B, C, D = out.J[:50, :50], out.J[:50, 50:], out.J[50:, :50], out.J[50:, 50:]
    assert not np.any(B)
    assert np.array_equal(A, A.T) and np.array_equal(D, D.T)
    assert np.max(np.abs(np.linalg.eigvalsh(A))) == pytest.approx(0.95, abs=1e-12)
    assert np.max(np.abs(np.linalg.eigvalsh(D))) == pytest.approx(0.95, abs=1e-12)
    assert np.linalg.norm(C, 2) == pytest.approx(1.0, abs=1e-12)
    # the file is what the documented generator produces
    again = block_triangular(n=100, gamma=0.95, c=1.0, seed=0)
    assert np.allclose(again["A"], A, atol=1e-12)
    assert np.allclose(again["C"], C, atol=1e-12)
    assert np.allclose(again["D"], D, atol=1e-12)


def test_unknown_example():
    with pytest.raises(InputError, match="unknown example 'nope'.*bt100"):
        example_path("nope")


# ---------------------------------------------------------------- bad input


def test_missing_file(tmp_path):
    _one_line_error(tmp_path / "absent.npy", "no such file")


def test_directory(tmp_path):
    d = tmp_path / "dir.npy"
    d.mkdir()
    _one_line_error(d, "is a directory")


def test_unknown_extension(tmp_path):
    p = tmp_path / "j.txt"
    p.write_text("1 2\n3 4\n")
    msg = _one_line_error(p, "unknown extension '.txt'")
    assert ".npz" in msg and ".mtx" in msg


@pytest.mark.parametrize(
    ("name", "match"),
    [
        ("bad.npy", "not a .npy file"),
        ("bad.npz", "not an .npz archive"),
        ("bad.mtx", "cannot read"),
    ],
)
def test_garbage_files(tmp_path, name, match):
    p = tmp_path / name
    p.write_bytes(b"\x00\x01garbage\xff" * 10)
    _one_line_error(p, match)


def test_truncated_files(tmp_path, J):
    np.save(tmp_path / "t.npy", J)
    np.savez(tmp_path / "t.npz", J=J)
    for name in ("t.npy", "t.npz"):
        data = (tmp_path / name).read_bytes()
        (tmp_path / name).write_bytes(data[: len(data) // 2])
        _one_line_error(tmp_path / name, "cannot read")


def test_npz_renamed_to_npy(tmp_path, J):
    np.savez(tmp_path / "j.npz", J=J)
    (tmp_path / "j.npz").rename(tmp_path / "j.npy")
    _one_line_error(tmp_path / "j.npy", "npz archive")


def test_npz_without_usable_keys_lists_keys(tmp_path, J):
    np.savez(tmp_path / "k.npz", X=J, Y=J)
    _one_line_error(tmp_path / "k.npz", r"keys found: X, Y")


def test_npz_A_without_D(tmp_path, J):
    np.savez(tmp_path / "k.npz", A=J, C=J)
    _one_line_error(tmp_path / "k.npz", "without block D")


def test_npz_blocks_that_do_not_fit(tmp_path):
    np.savez(tmp_path / "k.npz", A=np.eye(2), C=np.ones((2, 3)), D=np.eye(3))
    _one_line_error(tmp_path / "k.npz", r"block C has shape \(2, 3\), expected \(3, 2\)")


def test_npz_J_disagreeing_with_blocks(tmp_path):
    np.savez(tmp_path / "k.npz", J=np.eye(2), A=np.eye(1), D=2 * np.eye(1))
    _one_line_error(tmp_path / "k.npz", "disagrees")


def test_object_npy_is_refused(tmp_path):
    np.save(tmp_path / "o.npy", np.array([[1, "a"]], dtype=object), allow_pickle=True)
    _one_line_error(tmp_path / "o.npy", "cannot read")


def test_non_numeric_csv_names_the_line(tmp_path):
    p = tmp_path / "n.csv"
    p.write_text("1, 2\n3, abc\n")
    _one_line_error(p, r"line 2: 'abc' is not a number")


def test_ragged_csv(tmp_path):
    p = tmp_path / "r.csv"
    p.write_text("1 2\n3 4 5\n")
    _one_line_error(p, "line 2 has 3 values, the first row has 2")


def test_non_square(tmp_path):
    np.save(tmp_path / "ns.npy", np.ones((2, 3)))
    _one_line_error(tmp_path / "ns.npy", "must be square")


def test_one_dimensional(tmp_path):
    np.save(tmp_path / "v.npy", np.ones(3))
    _one_line_error(tmp_path / "v.npy", "2-D")


@pytest.mark.parametrize("content", ["", "# only a comment\n\n"])
def test_empty_csv(tmp_path, content):
    p = tmp_path / "e.csv"
    p.write_text(content)
    _one_line_error(p, "empty")


def test_empty_npy(tmp_path):
    np.save(tmp_path / "e.npy", np.zeros((0, 0)))
    _one_line_error(tmp_path / "e.npy", "empty")


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_nan_or_inf(tmp_path, bad):
    M = np.eye(3)
    M[1, 2] = bad
    np.save(tmp_path / "x.npy", M)
    _one_line_error(tmp_path / "x.npy", "NaN or Inf")
    np.savetxt(tmp_path / "x.csv", M, delimiter=",")
    _one_line_error(tmp_path / "x.csv", "NaN or Inf")


def test_save_matrix_rejects_other_suffix_and_bad_blocks(tmp_path, J):
    with pytest.raises(InputError, match="npz"):
        save_matrix(tmp_path / "j.npy", J)
    with pytest.raises(InputError, match="do not split"):
        save_matrix(tmp_path / "j.npz", J, blocks=(2, 2))
    with pytest.raises(InputError, match="do not split"):
        save_matrix(tmp_path / "j.npz", J, blocks=0)
