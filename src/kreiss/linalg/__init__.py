"""Numerical core on ndarrays: Schur-based resolvent norms, pseudospectra, Kreiss constants,
transients, pseudospectral radii/abscissae, numerical range, Lyapunov bounds.

Knows nothing of gradient descent, the paper, or torch.
"""
