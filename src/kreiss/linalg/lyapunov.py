"""Lyapunov (quadratic) certificates for transient bounds: ||A^t|| <= sqrt(kappa(P)) rate^t.

If P is symmetric positive definite and A^T P A <= rho^2 P (Loewner order), then A is a
contraction by the factor rho in the norm ||x||_P = sqrt(x^T P x), and since
lambda_min(P) ||x||^2 <= ||x||_P^2 <= lambda_max(P) ||x||^2,

    ||A^t|| <= sqrt(kappa(P)) rho^t   for every t >= 0,   kappa(P) = lambda_max(P) / lambda_min(P).

For rho = 1 this bounds the transient: sup_t ||A^t|| <= sqrt(kappa(P)). The best such bound
minimises kappa(P), a semidefinite program after the standard normalisation
(Boyd, El Ghaoui, Feron, Balakrishnan, "Linear Matrix Inequalities in System and Control
Theory", SIAM 1994, sec. 3.1 / 5.1; Lessard, Recht, Packard, SIAM J. Optim. 2016, for its use
on optimisation algorithms)::

    minimise kappa  over P = P^T, kappa
    subject to I <= P <= kappa I,   rho^2 P - A^T P A >= 0.

A P exists for every rho > rho(A) (the discrete Lyapunov equation has a solution), and for
no rho < rho(A).

Certification. The solver's P is not trusted. The SDP is solved for the slightly smaller
rate rho_s = rho - 1e-6 (rho - rho(A)), which leaves room for the solver's tolerance; if P
still violates rho^2 P - A^T P A >= 0 (a first-order solver can, by its tolerance), it is
shifted by a multiple of the Stein solution X (rho^2 X - A^T X A = rho^2 I), which restores
the inequality exactly at a small cost in kappa. Then kappa(P) (from P's eigenvalues) and the
contraction rate ``rate = ||R^T A R^{-T}||_2`` (P = R R^T, Cholesky) are recomputed, and a
result is returned only if rate <= rho: ``value = sqrt(kappa(P))`` is then a proven bound on
sup_t ||A^t|| / rho^t (up to the rounding of those dense computations). The value is the
optimum of the SDP only up to the solver's accuracy and this margin, never below it.

Cost. The SDP has n(n+1)/2 + 1 unknowns and three semidefinite cones. Posed directly,
cvxpy's canonicalisation of A^T P A carries n^4 coefficients; above n = 64
(``SCHUR_ABOVE_N``) the LMI is posed as the 2n x 2n Schur complement
[[rho^2 P, A^T P], [P A, P]] >= 0 instead (n^3 coefficients). Measured with
``lyapunov_bound`` on ``paper_class_instance(n/2, n/2, 0.9, 1.0, seed=0)`` on this project's
2-core machine, shared with other jobs (load average 1-3; wall times):

    n = 20:   Clarabel 0.3 s,  SCS 0.2 s   (values agree to 4 digits)
    n = 50:   Clarabel 32 s (660 MB; 14 s for the same SDP in an earlier, lighter-loaded
              run),  SCS 3.7 s (430 MB; values agree to 4 digits)
    n = 100:  SCS 4.5 min (435 MB, 2n Schur form, P repaired; 15 min at load average 9);
              Clarabel stopped after 8.5 min at 7.5 GB resident (dense interior-point
              steps on 5050-dim cones)

Near rho(A) -> 1 SCS needs many more iterations (n = 10, rho(A) = 0.99: 30-50 s, and its P
needed the repair), while Clarabel stays under a second. Hence the default: Clarabel up to
n = 40 (``CLARABEL_MAX_N``), SCS above, each the other's fallback. Practical up to n of
about 50; n = 100 takes minutes; beyond that the bound is not practical with either solver.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import InputError, KreissError, UnstableError
from ..jsonout import jsonable
from .radii import spectral_radius
from .validate import as_square_matrix

#: Largest n for which the default solver is Clarabel; SCS above.
CLARABEL_MAX_N = 40
#: Above this n the LMI is posed as a 2n x 2n Schur complement (memory n^3, not n^4).
SCHUR_ABOVE_N = 64
_MARGIN = 1e-6


@dataclass(frozen=True, eq=False)
class LyapunovResult:
    """A certified quadratic-Lyapunov bound ||A^t|| <= value * rate^t (all t >= 0).

    value           sqrt(kappa(P)), recomputed from P's eigenvalues; for rho = 1 a bound on
                    sup_t ||A^t|| (it is >= that supremum, never below it)
    kappa           kappa(P) = lambda_max(P) / lambda_min(P)
    P               the certificate (n x n, symmetric positive definite)
    rho             the requested rate; rate <= rho holds (else no result is returned)
    rate            ||A||_P, the exact contraction factor of A in the P-norm
    rho_solved      the rate the SDP was solved for (slightly below rho, see module notes)
    spectral_radius rho(A)
    solver, status, solve_time, n, message
    """

    value: float
    kappa: float
    P: np.ndarray
    rho: float
    rate: float
    rho_solved: float
    spectral_radius: float
    solver: str
    status: str
    solve_time: float
    n: int
    message: str = ""

    def bound_at(self, t) -> np.ndarray:
        """value * rate^t: an upper bound on ||A^t|| for each (integer) t >= 0."""
        return self.value * self.rate ** np.asarray(t, dtype=float)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dictionary (P omitted: save it separately if needed)."""
        return jsonable({k: getattr(self, k) for k in self.__dataclass_fields__ if k != "P"})


def lyapunov_bound(A, rho: float | None = None, *, solver: str | None = None) -> LyapunovResult:
    """Smallest-condition-number quadratic Lyapunov certificate: ||A^t|| <= sqrt(kappa) rho^t.

    Solves min kappa(P) s.t. A^T P A <= rho^2 P, P > 0 (see the module docstring for the
    maths, the certification and the measured cost) with cvxpy. ``rho=None`` means rho = 1:
    then ``value`` bounds sup_t ||A^t||. A complex A is replaced by its real 2n x 2n form
    [[Re A, -Im A], [Im A, Re A]], whose powers have the same norms. ``solver`` is
    ``"CLARABEL"`` or ``"SCS"``; default Clarabel for n <= 40, SCS above, and the other one
    when the first fails.

    Raises :class:`~kreiss.errors.UnstableError` if rho(A) >= rho (no such P exists), and
    :class:`~kreiss.errors.KreissError` if no solver returns a P that certifies.
    """
    A = as_square_matrix(A, "A")
    if np.iscomplexobj(A):
        A = np.block([[A.real, -A.imag], [A.imag, A.real]])
    n = A.shape[0]
    target = 1.0 if rho is None else float(rho)
    if not (np.isfinite(target) and target > 0):
        raise InputError(f"rho must be finite and > 0, got {rho!r}")
    radius = spectral_radius(A)
    if radius >= target:
        raise UnstableError(
            f"no P > 0 with A^T P A <= rho^2 P: spectral radius {radius:.6g} >= rho = {target:g}"
        )
    order = _solver_order(solver, n)
    cp = _cvxpy()
    rho_s = target - _MARGIN * (target - radius)
    failures = []
    for name in order:
        t0 = time.perf_counter()
        try:
            P, status = _solve(cp, A, rho_s, name)
        except Exception as exc:  # cvxpy.SolverError and solver crashes
            failures.append(f"{name}: {type(exc).__name__}")
            continue
        if P is None:
            failures.append(f"{name}: {status}")
            continue
        P, repaired = _repair(A, P, target)
        certificate = _certify(A, P)
        elapsed = time.perf_counter() - t0
        if certificate is None:
            failures.append(f"{name}: P not positive definite")
            continue
        kappa, rate = certificate
        if rate > target:
            failures.append(f"{name}: rate {rate:.6g} > rho")
            continue
        notes = ["rho = 1 (default): value bounds sup_t ||A^t||"] if rho is None else []
        if repaired:
            notes.append("solver's P repaired by a Stein-equation shift")
        return LyapunovResult(
            value=float(np.sqrt(kappa)),
            kappa=float(kappa),
            P=P,
            rho=target,
            rate=float(rate),
            rho_solved=float(rho_s),
            spectral_radius=radius,
            solver=name,
            status=status,
            solve_time=elapsed,
            n=n,
            message="; ".join(notes),
        )
    raise KreissError(f"no certified Lyapunov bound ({'; '.join(failures)})")


def _solver_order(solver: str | None, n: int) -> list[str]:
    names = ["CLARABEL", "SCS"]
    if solver is None:
        return names if n <= CLARABEL_MAX_N else names[::-1]
    name = str(solver).upper()
    if name not in names:
        raise InputError(f"solver must be 'CLARABEL' or 'SCS', got {solver!r}")
    return [name]


def _cvxpy():
    try:
        import cvxpy
    except ImportError:
        raise KreissError("lyapunov_bound needs cvxpy: pip install 'kreiss[sdp]'") from None
    return cvxpy


def _solve(cp, A: np.ndarray, rho: float, solver: str):
    """The SDP of the module docstring; returns (P symmetrised, status) or (None, status)."""
    n = A.shape[0]
    scale = max(float(np.linalg.norm(A, 2)), 1.0)
    As, rs = A / scale, rho / scale  # same constraint, better-scaled coefficients
    P = cp.Variable((n, n), symmetric=True)
    kappa = cp.Variable()
    I = np.eye(n)
    if n > SCHUR_ABOVE_N:
        # Schur complement: [[rho^2 P, A^T P], [P A, P]] >= 0 <=> rho^2 P - A^T P A >= 0
        # (P > 0): n^3 coefficients instead of the n^4 of A^T P A (GBs at n = 100)
        Z = cp.bmat([[rs**2 * P, As.T @ P], [P @ As, P]])
        lmi = (Z + Z.T) / 2 >> 0
    else:
        S = rs**2 * P - As.T @ P @ As
        lmi = (S + S.T) / 2 >> 0
    constraints = [P >> I, kappa * I - P >> 0, lmi]
    problem = cp.Problem(cp.Minimize(kappa), constraints)
    options = {"eps_abs": 1e-6, "eps_rel": 1e-6, "max_iters": 200_000} if solver == "SCS" else {}
    with warnings.catch_warnings():  # "solution may be inaccurate": we certify P ourselves
        warnings.simplefilter("ignore", UserWarning)
        problem.solve(solver=solver, **options)
    if problem.status not in ("optimal", "optimal_inaccurate") or P.value is None:
        return None, str(problem.status)
    Pv = np.asarray(P.value, dtype=np.float64)
    return (Pv + Pv.T) / 2, str(problem.status)


def _certify(A: np.ndarray, P: np.ndarray):
    """(kappa(P), ||A||_P) computed exactly from P, or None if P is not positive definite."""
    try:
        R = np.linalg.cholesky(P)
    except np.linalg.LinAlgError:
        return None
    eig = np.linalg.eigvalsh(P)
    if eig[0] <= 0:
        return None
    # ||A||_P = ||R^T A R^{-T}||_2 with P = R R^T
    from scipy.linalg import solve_triangular

    M = solve_triangular(R, (R.T @ A).T, lower=True).T
    return float(eig[-1] / eig[0]), float(np.linalg.norm(M, 2))


def _repair(A: np.ndarray, P: np.ndarray, rho: float):
    """Shift P by a multiple of the Stein solution X (rho^2 X - A^T X A = rho^2 I) so that
    rho^2 P - A^T P A >= tau I holds with a margin tau above rounding; returns (P, repaired).

    A first-order solver's P may violate the constraint by its tolerance delta; since
    rho^2 (P + e X) - A^T (P + e X) A = (rho^2 P - A^T P A) + e rho^2 I, the shift
    e = (tau + delta) / rho^2 restores it exactly, at a small cost in kappa.
    """
    from scipy.linalg import solve_discrete_lyapunov

    S = rho**2 * P - A.T @ P @ A
    low = float(np.linalg.eigvalsh((S + S.T) / 2)[0])
    tau = 1e-10 * float(np.linalg.norm(P, 2)) * max(1.0, float(np.linalg.norm(A, 2)) ** 2)
    if low >= tau:
        return P, False
    X = solve_discrete_lyapunov(A.T / rho, np.eye(A.shape[0]))  # X - (A/rho)^T X (A/rho) = I
    P = P + ((tau - low) / rho**2) * (X + X.T) / 2
    return P, True
