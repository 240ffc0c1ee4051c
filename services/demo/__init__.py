"""Demo world: publishes schools' needs and providers' offers as an external producer would.

``python -m services.demo`` (run by ``make run``) sends them to ``needs.submitted`` and
``offers.submitted``, then prints every suggestion that appears on ``matches.suggested``.
"""
