"""Package layout only (everything else is in pyproject.toml).

The fixed top-level folders ``theory/``, ``numerics/``, ``proofs_checks/`` ship as
``warmup_theory.theory``, ``warmup_theory.numerics``, ``warmup_theory.proofs_checks`` beside the
``warmup_theory/`` folder itself, so nothing generic lands in site-packages.
"""

from setuptools import find_packages, setup

LAYERS = ("theory", "numerics", "proofs_checks")

packages = ["warmup_theory", *(f"warmup_theory.{p}" for p in find_packages("warmup_theory"))]
package_dir = {"warmup_theory": "warmup_theory"}
for layer in LAYERS:
    package_dir[f"warmup_theory.{layer}"] = layer
    packages += [f"warmup_theory.{layer}", *(f"warmup_theory.{layer}.{p}" for p in find_packages(layer))]

setup(packages=packages, package_dir=package_dir)
