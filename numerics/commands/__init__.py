"""CLI sub-commands, one module each (discovered by ``numerics.cli``)."""
