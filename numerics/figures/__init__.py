"""Data behind the figures: the curvature-vs-loss study (:mod:`.curvature`) and the (H0, H1) regime map
(:mod:`.regime`)."""
