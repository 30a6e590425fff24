"""Example matrices shipped with kreiss.

``bt100``
    A 100 x 100 block lower-triangular Jacobian J = [[A, 0], [C, D]] of the paper's
    Theorem 4: A and D symmetric 50 x 50 with rho(A) = rho(D) = 0.95, and ||C||_2 = 1.
    Stored as the blocks A, C, D in ``bt100.npz`` (so ``kreiss analyze`` sees the block
    sizes); regenerate it with :func:`block_triangular` (``n=100, gamma=0.95, c=1, seed=0``).

Use ``kreiss analyze --example bt100`` or ``kreiss.load_matrix(example_path("bt100"))``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..errors import InputError

_HERE = Path(__file__).resolve().parent
EXAMPLES = {"bt100": "bt100.npz"}


def example_path(name: str) -> Path:
    """Path of the bundled example ``name`` (one of :data:`EXAMPLES`)."""
    try:
        return _HERE / EXAMPLES[name]
    except KeyError:
        raise InputError(
            f"unknown example {name!r}; available: {', '.join(sorted(EXAMPLES))}"
        ) from None


def block_triangular(
    n: int = 100, gamma: float = 0.95, c: float = 1.0, seed: int = 0
) -> dict[str, np.ndarray]:
    """Random blocks A, C, D of J = [[A, 0], [C, D]] with the preconditions of Theorem 4.

    A and D (each n/2 x n/2) are Q diag(lambda) Q^T with Q Haar-orthogonal and lambda
    uniform on [-gamma, gamma] except lambda_1 = gamma, so A, D are symmetric with spectral
    radius exactly gamma (hence rho(J) = gamma); C is Gaussian rescaled to ||C||_2 = c.
    """
    if n < 2 or n % 2:
        raise InputError(f"n must be an even number >= 2, got {n}")
    rng = np.random.default_rng(seed)
    m = n // 2

    def symmetric() -> np.ndarray:
        lam = rng.uniform(-gamma, gamma, m)
        lam[0] = gamma
        Q, R = np.linalg.qr(rng.standard_normal((m, m)))
        Q = Q * np.sign(np.diag(R))
        M = (Q * lam) @ Q.T
        return (M + M.T) / 2

    A = symmetric()
    D = symmetric()
    C = rng.standard_normal((m, m))
    C *= c / np.linalg.norm(C, 2)
    return {"A": A, "C": C, "D": D}
