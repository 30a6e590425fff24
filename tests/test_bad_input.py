"""Bad input: one clear error (API: InputError / UnstableError; CLI: exit 2, one line on
stderr, no traceback, no warning), never a wrong number, a bare ValueError or LAPACK noise."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from typer.testing import CliRunner

import kreiss
from kreiss.cli import app
from kreiss.errors import InputError, UnstableError
from kreiss.theory import facts, sharp
from kreiss.theory.bound import Bound

A = np.array([[0.5, 1.0], [0.0, 0.5]])


@pytest.mark.parametrize(("call", "match"), [
    (lambda: kreiss.kreiss_constant(A, tol=float("nan")), "tol"),  # LAPACK printed "illegal value"
    (lambda: kreiss.kreiss_constant(A, tol=-1), "tol"),  # silently 1.0 before
    (lambda: kreiss.kreiss_constant(A, tol=2.0), "tol"),
    (lambda: kreiss.kreiss_constant(A, npts=-1), "npts"),
    (lambda: kreiss.kreiss_constant(A, maxiter=0), "maxiter"),
    (lambda: kreiss.kreiss_constant(A, blocks=1), "blocks"),
    (lambda: kreiss.kreiss_constant(A, blocks=(1, 2)), "blocks"),
    (lambda: kreiss.kreiss_constant(A, blocks=(0.5, 1.5)), "blocks"),
    (lambda: kreiss.kreiss_constant(A, kind="bogus"), "kind"),
    (lambda: kreiss.transient(A, kind="foo"), "kind"),
    (lambda: kreiss.pseudospectra(A, npts=0), "npts"),
    (lambda: kreiss.pseudospectra(A, real=[], imag=[0, 1]), "real is empty"),
    (lambda: kreiss.pseudospectra(A, real=[float("nan"), 1], imag=[0, 1]), "finite"),
    (lambda: kreiss.pseudospectra(A, real=[0, 1], imag=["a", 1]), "imag"),
])
def test_api_bad_arguments_are_input_errors(call, match):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(InputError, match=match) as info:
            call()
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(("call", "match"), [
    (lambda: sharp.sharp_kreiss_bound(1.0, 1.0), "radii"),  # bare ValueErrors before
    (lambda: sharp.sharp_kreiss_bound(0.5, 1.0, 1.5), "radii"),
    (lambda: sharp.sharp_kreiss_bound("a", 1.0), "gamma"),  # a TypeError before
    (lambda: sharp.sharp_kreiss_bound(float("nan"), 1.0), "gamma"),
    (lambda: sharp.sharp_kreiss_bound(0.5, -1.0, 0.3), "c must"),  # silently 1.0 before
    (lambda: sharp.sharp_kreiss_bound(0.5, float("nan")), "c must"),  # nan before
    (lambda: sharp.sharp_power_bound(0.5, 1.0, -1), "t must"),  # 2.0 before
    (lambda: sharp.sharp_power_bound(0.5, 1.0, 1.5), "t must"),
    (lambda: sharp.sharp_transient_bound(0.5, float("nan")), "c must"),  # ArithmeticError
    (lambda: sharp.extremal_matrix(0.5, 1.0, blocks=(1,)), "blocks"),
    (lambda: sharp.sharp_continuous_kreiss_bound(0.0, 1.0), "mu"),
    (lambda: sharp.sharp_continuous_kreiss_bound(float("nan"), 1.0), "mu"),  # 1.0 before
    (lambda: sharp.midpoint_estimator(1.5, 0.5, 1.0), "gamma"),
    (lambda: Bound("x", "x", "K(J)", "bogus", 1.0), "relation"),
    (lambda: facts(np.eye(4), ("a", "b")), "blocks"),
    (lambda: facts(np.eye(4), 3), "blocks"),  # a TypeError before
])
def test_theory_bad_arguments_are_input_errors(call, match):
    with pytest.raises(InputError, match=match) as info:
        call()
    assert "\n" not in str(info.value)


def test_unstable_message_shows_the_excess():
    with pytest.raises(UnstableError, match=r"1\.000000000001 > 1"):
        kreiss.kreiss_constant(np.diag([1 + 1e-12, 0.5]))


@pytest.fixture
def files(tmp_path):
    np.save(tmp_path / "j.npy", A)
    np.savez(tmp_path / "j.npz", J=A)
    raw = (tmp_path / "j.npz").read_bytes()
    (tmp_path / "corrupt.npz").write_bytes(raw[: len(raw) // 2] + b"x" * (len(raw) // 2))
    header = b"{'descr': '<f8', 'fortran_order': False, 'shape': (x, 2), }"
    (tmp_path / "bad.npy").write_bytes(b"\x93NUMPY\x01\x00" + bytes([len(header) + 1, 0])
                                       + header + b"\n")
    np.savez(tmp_path / "alpha.npz", J=A, alpha=np.array("abc"))
    return tmp_path


@pytest.mark.parametrize(("args", "match"), [
    (["pseudospectra", "{d}/j.npy", "--real", "-inf", "inf"], "finite"),
    (["analyze", "{d}/corrupt.npz"], "cannot read as .npz"),
    (["analyze", "{d}/bad.npy"], "header is damaged"),
    (["simulate", "{d}/j.npy", "--alpha", "nan"], "alpha"),
    (["simulate", "{d}/alpha.npz"], "alpha is not a number"),
])
def test_cli_bad_input_is_one_line(files, args, match):
    res = CliRunner().invoke(app, [a.format(d=files) for a in args])
    assert res.exit_code == 2, res.output
    assert match in res.output
    assert "Traceback" not in res.output and "Warning" not in res.output
    assert len([line for line in res.output.splitlines() if line.strip()]) == 1


def test_csv_with_a_byte_order_mark_is_read(tmp_path):
    f = tmp_path / "bom.csv"
    f.write_text("0.99,1\n0,0.99\n", encoding="utf-8-sig")  # as Excel writes it
    M = kreiss.load_matrix(f)
    np.testing.assert_array_equal(M, [[0.99, 1.0], [0.0, 0.99]])


@pytest.mark.parametrize("c", [1e-300, 1e-150, 1.0, 1e150])
@pytest.mark.parametrize("quantity", ["radius", "abscissa"])
def test_pseudospectral_radii_at_extreme_scales(c, quantity):
    # Lambda_eps(c N), N = [[0, 1], [0, 0]], is the disk |z| <= r with sigma_min = eps on
    # |z| = r: (sqrt(c^2 + 4 r^2) - c) / 2 = eps, so r = sqrt(eps (c + eps)); both radius
    # and abscissa are r.  Before, c = 1e-300 gave 6.75e-140, "certified"
    eps = c / 100
    r = np.sqrt(eps) * np.sqrt(c + eps)
    fn = kreiss.pseudospectral_radius if quantity == "radius" else \
        kreiss.pseudospectral_abscissa
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = fn(c * np.array([[0.0, 1.0], [0.0, 0.0]]), eps)
    assert res.value == pytest.approx(r, rel=1e-10)
    assert res.lower <= r * (1 + 1e-12) and r <= res.upper * (1 + 1e-12)
    assert res.eps == eps


def test_huge_eps_is_scaled_not_garbage():
    res = kreiss.pseudospectral_radius(np.array([[0.5, 1.0], [0.0, 0.5]]), 1e300)
    assert res.value == pytest.approx(1e300, rel=1e-10)  # was 1.49e138


@pytest.mark.parametrize("a", [1e200, 1e300])
def test_kreiss_constant_beyond_double_precision_is_refused(a):
    # K([[0, a], [0, 0]]) ~ a / 4 needs ||A||^2: a clear refusal, not 1 (a = 1e250 gave 1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(InputError, match="beyond"):
            kreiss.kreiss_constant(np.array([[0.0, a], [0.0, 0.0]]))


def _declaring_header(shape) -> bytes:
    hdr = f"{{'descr': '<f8', 'fortran_order': False, 'shape': {shape}, }}"
    hdr = hdr + " " * (118 - len(hdr)) + "\n"
    return b"\x93NUMPY\x01\x00" + len(hdr).to_bytes(2, "little") + hdr.encode() + b"\0" * 64


@pytest.mark.parametrize("suffix", [".npy", ".npz"])
def test_declared_size_is_checked_before_reading(tmp_path, suffix):
    # a 200-byte file declaring 10^6 x 10^6 (7.3 TiB): one line, nothing allocated
    import zipfile

    f = tmp_path / f"huge{suffix}"
    raw = _declaring_header((1000000, 1000000))
    if suffix == ".npy":
        f.write_bytes(raw)
    else:
        with zipfile.ZipFile(f, "w") as z:
            z.writestr("J.npy", raw)
    with pytest.raises(InputError, match="declares shape") as info:
        kreiss.load_matrix(f)
    assert "cannot read" not in str(info.value) and "GiB" in str(info.value)
    res = CliRunner().invoke(app, ["analyze", str(f)])
    assert res.exit_code == 2 and "declares shape" in res.output and "Traceback" not in res.output


@pytest.mark.parametrize(("name", "match"), [
    ("adir", "is a directory"),       # wrote adir.png beside it before
    ("figure", "must end in"),        # wrote figure.png before
    ("figure.xyz", "must end in"),    # a traceback after the whole computation before
])
def test_output_path_means_exactly_what_is_given(files, name, match):
    (files / "adir").mkdir()
    res = CliRunner().invoke(app, ["pseudospectra", str(files / "j.npy"), "-o",
                                   str(files / name)])
    assert res.exit_code == 2 and match in res.output and "Traceback" not in res.output
    assert not (files / "adir.png").exists() and not (files / "figure.png").exists()

