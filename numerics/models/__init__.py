"""Small models as pure functions of a flat float64 parameter vector (torch.func friendly).

* :mod:`warmup_theory.numerics.models.deep_linear` — deep linear MSE, strongly balanced weights (Prop 3.2);
* :mod:`warmup_theory.numerics.models.data` — regression / classification data with exact f*;
* :mod:`warmup_theory.numerics.models.two_layer` — two-layer network, cross-entropy (summed) + L2 (Prop 3.3);
* :mod:`warmup_theory.numerics.models.leaky_relu` — one leaky-ReLU hidden layer, ½·MSE (Prop D.1);
* :mod:`warmup_theory.numerics.models.attention` — one linear-attention layer, in-context regression (Prop 3.4).
"""
