"""Matrix-free analysis (issue 10): products and seconds at n ~ 10^5 - 10^6, and the fraction
of the certified dense values that the matrix-free bounds reach where both run.

(a) the paper's GAN (Section 7 setup: 2-D mixture of Gaussians, ReLU MLPs, simultaneous GD
    with step eta) grown to ~10^5 and ~10^6 parameters (two hidden layers), J at the seeded
    initialisation as a torch JVP / VJP operator; and a sparse 2-D upwind convection-diffusion
    step with
    n = 317^2 = 100489 whose explicit time step violates the CFL limit by 1% (eigenvalues
    inside |z| < 0.3, yet ||J^t|| grows: the non-normal instability that eigenvalues miss).
    Each: stability verdict (ARPACK), the transient lower-bound curve to t = 200 and the Kreiss
    lower bound, with products counted; the GANs through ``kreiss.analyze_operator`` (one
    call, products with J^T), once in float64 and once as a float32 model.
(b) n = 2000, the paper's class with C aligned to the top eigenvectors (K = 25.01 for
    gamma = .99, c = 1): matrix-free against certified dense, both timed in this run.

    python benchmarks/bench_matfree.py [--skip-million] [--only a|b]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import scipy.sparse as sp


def convdiff(N: int, r: float = 0.01, c: float = 0.97) -> sp.csr_array:
    """Explicit Euler step of u_t = nu Laplace u - v u_x on an N x N grid, upwind convection,
    diffusion number r = nu dt / h^2, Courant number c = v dt / h: 4 r + c = 1.01 > 1."""
    e = np.ones(N - 1)
    Tx = sp.diags([(r + c) * e, r * e], [-1, 1])
    Ty = sp.diags([r * e, r * e], [-1, 1])
    I = sp.identity(N)
    return sp.csr_array((1 - 4 * r - c) * sp.identity(N * N) + sp.kron(I, Tx) + sp.kron(Ty, I))


def gan_operator(hidden: int, depth: int, eta: float = 0.01, seed: int = 0, dtype=None):
    """The GAN's J as a torch operator; ``dtype`` torch.float32: the model (data included)
    in float32, as it is trained, so the products run in float32."""
    from kreiss.coupled import simultaneous_gd_operator
    from kreiss.experiments.gan import GANConfig, gan_problem

    cfg = GANConfig(hidden_g=hidden, hidden_d=hidden, depth=depth)
    loss_g, loss_d, g, d = gan_problem(cfg, seed, dtype=dtype)
    return simultaneous_gd_operator(loss_g, loss_d, g, d, eta, eta)


def analyse_in_one_call(name, op, horizon=200):
    """kreiss.analyze_operator with its defaults: what a user of a torch model calls."""
    import kreiss

    print(f"\n{name}: n = {op.shape[0]}, products in {op.dtype}", flush=True)
    res = kreiss.analyze_operator(op, horizon=horizon)
    st, tr, K, sec = res.stability, res.transient, res.kreiss, res.part_seconds
    print(f"  stability  {sec['stability']:7.1f} s  {st.products:6d} products  {st.verdict}: "
          f"rho ~ {st.spectral_radius:.6g} (max residual {float(np.max(st.residuals)):.1e})")
    print(f"  transient  {sec['transient']:7.1f} s  {tr.evaluations:6d} products  "
          f"sup_t<=200 ||J^t|| >= {tr.sup:.6g} at t = {tr.argmax:.0f} (witnessed)")
    print(f"  Kreiss     {sec['kreiss']:7.1f} s  {K.products:6d} products  K >= {K.lower:.6g} "
          f"({K.lower_status})")
    print(f"  total      {res.seconds:7.1f} s in one call", flush=True)


def analyse(name, op, horizon=200, blocks=None):
    import kreiss

    print(f"\n{name}: n = {op.shape[0]}", flush=True)
    t0 = time.perf_counter()
    st = kreiss.stability(op, method="krylov")
    t1 = time.perf_counter()
    tr = kreiss.transient(op, horizon=horizon, method="krylov")
    t2 = time.perf_counter()
    K = kreiss.kreiss_constant(op, method="krylov", blocks=blocks)
    t3 = time.perf_counter()
    print(f"  stability  {t1 - t0:7.1f} s  {st.products:6d} products  {st.verdict}: rho ~ "
          f"{st.spectral_radius:.6g} (max residual {float(np.max(st.residuals)):.1e}); "
          f"||J|| in [{st.norm:.5g}, {st.norm_upper:.5g}]")
    print(f"  transient  {t2 - t1:7.1f} s  {tr.evaluations:6d} products  sup_t<=200 ||J^t|| >= "
          f"{tr.sup:.6g} at t = {tr.argmax:.0f} (witnessed)")
    print(f"  Kreiss     {t3 - t2:7.1f} s  {K.products:6d} products  K >= {K.lower:.6g} at "
          f"z = {K.z:.5g} (witnessed); upper {K.upper:.5g} ({K.upper_status})")
    print(f"  total      {t3 - t0:7.1f} s")


def part_a(skip_million: bool):
    analyse("2-D convection-diffusion, 317^2 grid, CFL exceeded by 1%", convdiff(317))
    # Widening the paper's one hidden layer to 10^5 parameters (width 11111) makes every
    # product cost ~0.3 s here (256 x 11111 float64 activations per pass: a step alone takes
    # 0.14 s), so the networks get two hidden layers of width h instead (~2 h^2 parameters).
    import torch

    for hidden, label in ((224, "~10^5"), (707, "~10^6")):
        if skip_million and hidden > 300:
            continue
        for dtype in (torch.float64, torch.float32):
            op = gan_operator(hidden, depth=2, dtype=dtype)
            analyse_in_one_call(f"paper's GAN with two hidden layers of width {hidden}: "
                                f"{label} parameters (eta 0.01, at initialisation)", op)


def part_b():
    import kreiss

    n = 1000
    rng = np.random.default_rng(0)
    Q = np.linalg.qr(rng.standard_normal((n, n)))[0]
    A = (Q * np.linspace(-0.99, 0.99, n)) @ Q.T
    A = (A + A.T) / 2
    C = np.outer(Q[:, -1], Q[:, -1])
    J = np.block([[A, np.zeros((n, n))], [C, A]])
    print(f"\n(b) paper's class, n = {2 * n}, gamma = 0.99, ||C|| = 1 aligned (K = 25.01)")
    t0 = time.perf_counter()
    Kd = kreiss.kreiss_constant(J, blocks=(n, n), tol=1e-6)
    t1 = time.perf_counter()
    Td = kreiss.transient(J, horizon=200)
    t2 = time.perf_counter()
    from scipy.sparse.linalg import aslinearoperator

    op = aslinearoperator(J)
    Kk = kreiss.kreiss_constant(op, method="krylov", blocks=(n, n))
    t3 = time.perf_counter()
    Tk = kreiss.transient(op, horizon=200, method="krylov")
    t4 = time.perf_counter()
    print(f"  K dense certified [{Kd.lower:.8g}, {Kd.upper:.8g}] in {t1 - t0:.1f} s; "
          f"matrix-free K >= {Kk.lower:.8g} ({Kk.lower / Kd.lower:.4%} of it), "
          f"K <= {Kk.upper:.6g} (probabilistic) in {t3 - t2:.1f} s, {Kk.products} products")
    print(f"  transient to t = 200: dense sup {Td.sup:.8g} at {Td.argmax:.0f} in {t2 - t1:.1f} s; "
          f"matrix-free {Tk.sup:.8g} at {Tk.argmax:.0f} ({Tk.sup / Td.sup:.4%}) in "
          f"{t4 - t3:.1f} s, {Tk.evaluations} products")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--skip-million", action="store_true", help="skip the 10^6 GAN")
    ap.add_argument("--only", choices=["a", "b"])
    args = ap.parse_args()
    if args.only != "b":
        part_a(args.skip_million)
    if args.only != "a":
        part_b()


if __name__ == "__main__":
    main()
