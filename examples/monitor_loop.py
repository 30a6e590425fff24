"""A plain PyTorch training loop of two players with the kreiss monitor attached.

    python examples/monitor_loop.py [steps]
"""

import sys

import torch
from torch.func import functional_call

from kreiss.coupled import Monitor

torch.manual_seed(0)
G = torch.nn.Sequential(torch.nn.Linear(2, 16), torch.nn.Tanh(), torch.nn.Linear(16, 2)).double()
D = torch.nn.Sequential(torch.nn.Linear(2, 16), torch.nn.Tanh(), torch.nn.Linear(16, 1)).double()
z = torch.randn(256, 2, dtype=torch.float64)
real = torch.randn(256, 2, dtype=torch.float64) + 2.0
softplus = torch.nn.functional.softplus


def loss_g(g, d):  # g, d: dicts name -> tensor, as from named_parameters()
    return softplus(-functional_call(D, d, (functional_call(G, g, (z,)),))).mean()


def loss_d(g, d):
    fake = functional_call(G, g, (z,))
    return (softplus(-functional_call(D, d, (real,))).mean()
            + softplus(functional_call(D, d, (fake,))).mean())


eta, steps = 0.05, int(sys.argv[1]) if len(sys.argv) > 1 else 1000
mon = Monitor.simultaneous_gd(loss_g, loss_d, G, D, eta, eta, every=100, window=5,
                              budget=None, out="runs/monitor")
with mon:
    for _ in range(steps):
        g, d = dict(G.named_parameters()), dict(D.named_parameters())
        grads = torch.autograd.grad(loss_g(g, d), list(g.values())) + \
            torch.autograd.grad(loss_d(g, d), list(d.values()))
        with torch.no_grad():
            for p, dp in zip([*g.values(), *d.values()], grads, strict=True):
                p -= eta * dp
        mon.step()  # after each update
r = mon.records[-1]
print(f"step {r.step}: rho {r.rho:.6f} ({r.verdict}), K >= {r.K_lower:.4g}, "
      f"transient peak {r.transient_peak:.4g} at t = {r.transient_argmax:g}, "
      f"product of 5 step Jacobians {r.product_norm:.4g}, twin growth "
      f"{r.perturbation_growth:.4g}; monitor overhead {100 * mon.overhead:.0f}%")
mon.plot("runs/monitor/monitor.png")
