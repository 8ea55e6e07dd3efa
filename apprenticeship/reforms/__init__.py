"""Reforms before they are law: a draft set of indemnity rates simulated over the real caseload,
then adopted retroactively by an officer (models, pure rules, services, selectors, views)."""
